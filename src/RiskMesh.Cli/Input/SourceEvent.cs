namespace RiskMesh.Cli.Input;

/// <summary>An event read from a file: where it came from (for error messages), its JSON, and its date when readable.</summary>
/// <param name="File">The file name as given.</param>
/// <param name="Line">The line it starts on, from 1.</param>
/// <param name="Json">One line of JSON, sent as is.</param>
/// <param name="Date">The event's <c>date</c> member, or null when absent or the line is not JSON.</param>
internal sealed record SourceEvent(string File, int Line, string Json, string? Date);
