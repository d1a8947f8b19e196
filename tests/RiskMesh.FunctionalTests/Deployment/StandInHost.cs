namespace RiskMesh.FunctionalTests.Deployment;

/// <summary>
/// A stand-in for <c>dotnet</c> in deploy/local-cluster.sh's tests, whose subject is the script: <c>dotnet build</c>
/// and <c>dotnet DLL schema apply</c> succeed; <c>dotnet DLL …</c> is a host. Bash stays the host's process (its
/// command line is the host's, which local-cluster.sh checks before signalling it); python answers HTTP on the
/// <c>--urls</c> port and goes when its parent does. The host writes the RiskMesh__ variables it was started with to
/// <c>environment</c> in its data directory and prints one line. On SIGTERM it exits 0, or the code written in
/// <c>exit-on-term</c> in its data directory; with a file <c>ignore-term</c> there, it does not stop at all. With a file
/// <c>not-ready</c> there, <c>/health/ready</c> answers 503 with that file's content; with a file <c>exit-at-start</c>
/// there, it exits at once with the code that file holds. <c>dotnet DLL settings check</c>
/// refuses (exit 78, in the host's words) a RiskMesh__ variable whose value is <see cref="RefusedValue"/>, warns of a
/// name holding <c>Typo</c>, and passes anything else; a host started with a refused value exits 78 the same way.
/// </summary>
internal static class StandInHost
{
    public const string StartLine = "stand-in host running";

    /// <summary>The value the stand-in's settings check refuses, for any setting.</summary>
    public const string RefusedValue = "refused-value";

    public static async Task WriteAsync(string binDirectory)
    {
        Directory.CreateDirectory(binDirectory);
        var dotnet = Path.Combine(binDirectory, "dotnet");
        await File.WriteAllTextAsync(dotnet, """
            #!/usr/bin/env bash
            [[ "$1" == build ]] && exit 0
            [[ "$2" == schema ]] && { echo "Applied 0 schema scripts (stand-in)"; exit 0; }
            refused="$(env | grep -i '^riskmesh__[^=]*=refused-value$' | cut -d= -f1 | head -n 1)"
            if [[ -n "$refused" ]]; then
                printf 'riskmesh-silo: cannot start, 1 setting(s) invalid:\n  - %s must be a whole number, got %s\n' "${refused//__/:}" "'refused-value'" >&2
                exit 78
            fi
            if [[ "$2" == settings ]]; then
                typo="$(env | grep -i '^riskmesh__[^=]*typo' | cut -d= -f1 | head -n 1)"
                [[ -z "$typo" ]] || echo "riskmesh-silo: warning: ${typo//__/:} is not a setting (stand-in)" >&2
                echo "riskmesh-silo: settings valid"
                exit 0
            fi
            data="" url=""
            for arg in "$@"; do
                case "$arg" in
                    --RiskMesh:DataDirectory=*) data="${arg#*=}" ;;
                    http://*) url="$arg" ;;
                esac
            done
            if [[ -f "$data/exit-at-start" ]]; then
                echo "stand-in host: cannot start"
                exit "$(cat "$data/exit-at-start")"
            fi
            env | grep -i '^riskmesh__' | LC_ALL=C sort >"$data/environment"
            python3 -c 'import http.server as h, os, sys, threading, time
            class H(h.BaseHTTPRequestHandler):
                def do_GET(s):
                    path = os.path.join(sys.argv[2], "not-ready")
                    body = open(path, "rb").read() if os.path.exists(path) else b""
                    s.send_response(503 if body else 200); s.end_headers(); s.wfile.write(body)
                def log_message(s, *a): pass
            for attempt in range(50):
                try: server = h.HTTPServer(("127.0.0.1", int(sys.argv[1])), H); break
                except OSError: time.sleep(0.1)  # the port of a killed stand-in, whose server is going
            threading.Thread(target=server.serve_forever, daemon=True).start()
            parent = os.getppid()
            while os.getppid() == parent: time.sleep(0.1)' "${url##*:}" "$data" &
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
