namespace RiskMesh.Cli.Output;

/// <summary>Ingest progress on stderr: a bar redrawn in place on a terminal, otherwise a plain line per batch.</summary>
internal sealed class Progress(CliConsole console, long total)
{
    private const int BarWidth = 30;
    private bool _drawn;

    /// <summary>Reports that <paramref name="done"/> of the total events are sent.</summary>
    public void Report(long done, string label)
    {
        var fraction = total <= 0 ? 1 : Math.Clamp((double)done / total, 0, 1);
        if (console.ErrorIsTerminal)
        {
            var filled = (int)Math.Round(fraction * BarWidth);
            var bar = new string('█', filled) + new string('░', BarWidth - filled);
            console.Error.Write($"\r{bar} {fraction,4:P0} {done}/{total} {label}".PadRight(BarWidth + 40));
            _drawn = true;
        }
        else
        {
            console.Error.WriteLine($"progress: {done}/{total} events sent ({fraction:P0}) {label}".TrimEnd());
        }
    }

    /// <summary>Ends the bar's line so later output starts on its own line.</summary>
    public void Finish()
    {
        if (_drawn)
        {
            console.Error.WriteLine();
            _drawn = false;
        }
    }
}
