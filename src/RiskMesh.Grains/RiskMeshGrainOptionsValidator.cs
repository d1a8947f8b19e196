using Microsoft.Extensions.Options;

namespace RiskMesh.Grains;

/// <summary>Checks <see cref="RiskMeshGrainOptions"/> and the risk model's options, naming every bad setting.</summary>
public sealed class RiskMeshGrainOptionsValidator : IValidateOptions<RiskMeshGrainOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, RiskMeshGrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string section = RiskMeshGrainOptions.Section;
        var problems = new List<string>();
        if (options.CheckpointInterval <= TimeSpan.Zero)
        {
            problems.Add($"{section}:CheckpointInterval must be positive, got {options.CheckpointInterval}");
        }

        if (options.CheckpointAfterEvents <= 0)
        {
            problems.Add($"{section}:CheckpointAfterEvents must be positive, got {options.CheckpointAfterEvents}");
        }

        if (options.MaxApplyCallsInFlight <= 0)
        {
            problems.Add($"{section}:MaxApplyCallsInFlight must be positive, got {options.MaxApplyCallsInFlight}");
        }

        if (options.MaxBatchEvents <= 0)
        {
            problems.Add($"{section}:MaxBatchEvents must be positive, got {options.MaxBatchEvents}");
        }

        problems.AddRange(options.Scoring.Validate().Select(p => $"{section}:Scoring: {p}"));
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
