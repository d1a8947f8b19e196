using RiskMesh.Cli;
using RiskMesh.Cli.Http;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// A ProblemDetails' listed errors as the CLI prints them: an event by its index as the API counts it, from 0, said as
/// such ("event 1" read as the first event: newcomer 14, review 14 L5).
/// </summary>
public sealed class ProblemOutputTests
{
    [Fact]
    public void WriteProblem_EventErrors_NamedByIndexFromZero_ThenIdThenReason()
    {
        using var writer = new StringWriter();

        ErrorReporter.WriteProblem(writer, new ApiProblem("Invalid events", null,
        [
            new ProblemError(1, "nc-2", "unknown port 'suifenhe-raod'"),
            new ProblemError(2, null, "field 'date' is required"),
            new ProblemError(null, "comment", "too long"),
        ]));

        Assert.Equal(
            ["  - event at index 1 (nc-2): unknown port 'suifenhe-raod'", "  - event at index 2: field 'date' is required", "  - comment: too long"],
            writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }
}
