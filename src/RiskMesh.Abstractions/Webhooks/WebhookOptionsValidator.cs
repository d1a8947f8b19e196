using Microsoft.Extensions.Options;

namespace RiskMesh.Abstractions.Webhooks;

/// <summary>Checks <see cref="WebhookOptions"/>, naming every bad setting (<see cref="WebhookOptions.Problems"/>).</summary>
public sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
