namespace RiskMesh.FunctionalTests.Deployment;

/// <summary>
/// A stand-in for <c>dotnet</c> in deploy/local-cluster.sh's tests, whose subject is the script: <c>dotnet build</c>
/// and <c>dotnet DLL schema apply</c> succeed; <c>dotnet DLL …</c> is a host. Bash stays the host's process (its
/// command line is the host's, which local-cluster.sh checks before signalling it); python answers HTTP on the
/// <c>--urls</c> port and goes when its parent does. The host writes the RiskMesh__ variables it was started with to
/// <c>environment</c> in its data directory and prints one line. On SIGTERM it exits 0, or the code written in
/// <c>exit-on-term</c> in its data directory; with a file <c>ignore-term</c> there, it does not stop at all.
/// </summary>
internal static class StandInHost
{
    public const string StartLine = "stand-in host running";

    public static async Task WriteAsync(string binDirectory)
    {
        Directory.CreateDirectory(binDirectory);
        var dotnet = Path.Combine(binDirectory, "dotnet");
        await File.WriteAllTextAsync(dotnet, """
            #!/usr/bin/env bash
            [[ "$1" == build ]] && exit 0
            [[ "$2" == schema ]] && { echo "Applied 0 schema scripts (stand-in)"; exit 0; }
            data="" url=""
            for arg in "$@"; do
                case "$arg" in
                    --RiskMesh:DataDirectory=*) data="${arg#*=}" ;;
                    http://*) url="$arg" ;;
                esac
            done
            env | grep -i '^riskmesh__' | LC_ALL=C sort >"$data/environment"
            python3 -c 'import http.server as h, os, sys, threading, time
            class H(h.BaseHTTPRequestHandler):
                def do_GET(s): s.send_response(200); s.end_headers()
                def log_message(s, *a): pass
            for attempt in range(50):
                try: server = h.HTTPServer(("127.0.0.1", int(sys.argv[1])), H); break
                except OSError: time.sleep(0.1)  # the port of a killed stand-in, whose server is going
            threading.Thread(target=server.serve_forever, daemon=True).start()
            parent = os.getppid()
            while os.getppid() == parent: time.sleep(0.1)' "${url##*:}" &
            child=$!
            echo "stand-in host running, pid $$"
            on_term() {
                echo "stand-in host: SIGTERM"
                [[ -f "$data/ignore-term" ]] && return 0
                kill $child
                exit "$(cat "$data/exit-on-term" 2>/dev/null || echo 0)"
            }
            trap on_term TERM
            while kill -0 $child 2>/dev/null; do wait $child; done
            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
