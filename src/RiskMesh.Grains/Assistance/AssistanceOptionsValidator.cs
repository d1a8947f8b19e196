using Microsoft.Extensions.Options;
using RiskMesh.Scoring.Assistance;

namespace RiskMesh.Grains.Assistance;

/// <summary>Checks <see cref="AssistanceOptions"/>: gap thresholds in [0, 1], the isolation load above 0, counts not negative; names every bad setting.</summary>
public sealed class AssistanceOptionsValidator : IValidateOptions<AssistanceOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, AssistanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        Fraction(nameof(options.TestingGapThreshold), options.TestingGapThreshold, problems);
        Fraction(nameof(options.PortTestingGapThreshold), options.PortTestingGapThreshold, problems);
        Fraction(nameof(options.BedsGapThreshold), options.BedsGapThreshold, problems);
        Fraction(nameof(options.NationalGapThreshold), options.NationalGapThreshold, problems);
        if (!(options.IsolationLoadThreshold > 0))
        {
            problems.Add($"{AssistanceReader.Section}:{nameof(options.IsolationLoadThreshold)} must be above 0, got {options.IsolationLoadThreshold}");
        }

        NotNegative(nameof(options.HighInboundPerDay), options.HighInboundPerDay, problems);
        NotNegative(nameof(options.MakeshiftCaseThreshold), options.MakeshiftCaseThreshold, problems);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void Fraction(string name, double value, List<string> problems)
    {
        if (value is not (>= 0 and <= 1))
        {
            problems.Add($"{AssistanceReader.Section}:{name} must lie in [0, 1], got {value}");
        }
    }

    private static void NotNegative(string name, double value, List<string> problems)
    {
        if (!(value >= 0))
        {
            problems.Add($"{AssistanceReader.Section}:{name} must not be negative, got {value}");
        }
    }
}
