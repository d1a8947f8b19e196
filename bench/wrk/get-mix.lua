-- wrk script: GETs of random ports, cities and countries of the default topology, with the API key.
-- Paths come from the file named by RISKMESH_WRK_PATHS (one path per line, written by run.sh from the topology).
local paths = {}
for line in io.lines(os.getenv("RISKMESH_WRK_PATHS")) do
  paths[#paths + 1] = line
end
local key = os.getenv("RISKMESH_API_KEY")

request = function()
  return wrk.format("GET", paths[math.random(#paths)], { ["X-Api-Key"] = key })
end
