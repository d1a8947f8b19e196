namespace RiskMesh.Cli.Output;

/// <summary>Ingest progress on stderr: a bar redrawn in place on a terminal, otherwise a plain line per batch.</summary>
internal sealed class Progress(CliConsole console, long total)
{
    private const int BarWidth = 30;
    private bool _drawn;

    /// <summary>
    /// Reports that <paramref name="done"/> of the total events are sent and what the server did with them so far
    /// (<paramref name="outcome"/>: "accepted 2, duplicates 0, rejected 1"): sent is not accepted, and a line that
    /// said only "3/3 events sent (100 %)" after a refused batch read as success (newcomer 15).
    /// </summary>
    public void Report(long done, string outcome, string label)
    {
        var fraction = total <= 0 ? 1 : Math.Clamp((double)done / total, 0, 1);
        if (console.ErrorIsTerminal)
        {
            var filled = (int)Math.Round(fraction * BarWidth);
            var bar = new string('█', filled) + new string('░', BarWidth - filled);
            console.Error.Write($"\r{bar} {fraction,4:P0} {done}/{total} sent: {outcome} {label}".PadRight(BarWidth + 40));
            _drawn = true;
        }
        else
        {
            console.Error.WriteLine($"progress: {done}/{total} events sent ({fraction:P0}): {outcome}  {label}".TrimEnd());
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
