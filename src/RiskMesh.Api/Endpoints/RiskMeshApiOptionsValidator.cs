using Microsoft.Extensions.Options;

namespace RiskMesh.Api.Endpoints;

/// <summary>Checks <see cref="RiskMeshApiOptions"/>, naming every setting that is out of range.</summary>
public sealed class RiskMeshApiOptionsValidator : IValidateOptions<RiskMeshApiOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, RiskMeshApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.MaxIngestBodyBytes <= 0)
        {
            problems.Add($"{RiskMeshApiOptions.Section}:MaxIngestBodyBytes must be positive, got {options.MaxIngestBodyBytes}");
        }

        if (options.MaxRankingLimit <= 0)
        {
            problems.Add($"{RiskMeshApiOptions.Section}:MaxRankingLimit must be positive, got {options.MaxRankingLimit}");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
