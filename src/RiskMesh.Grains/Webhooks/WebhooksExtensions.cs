using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

using RiskMesh.Abstractions.Webhooks;

namespace RiskMesh.Grains.Webhooks;

/// <summary>Registers webhook delivery on a silo.</summary>
public static class WebhooksExtensions
{
    /// <summary>
    /// Adds <see cref="WebhookOptions"/> (bound from <c>RiskMesh:Webhooks</c>, validated at start), the sender and the
    /// resumer that wakes pending outboxes when the silo starts. Calling it again does nothing.
    /// </summary>
    public static IServiceCollection AddRiskMeshWebhooks(this IServiceCollection services, IConfiguration? configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(WebhookResumer)))
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        var options = services.AddOptions<WebhookOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(WebhookOptions.Section));
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Options.IValidateOptions<WebhookOptions>, WebhookOptionsValidator>());
        var hooks = services.AddOptions<NoticeFaultInjection>();
        if (configuration is not null)
        {
            hooks.Bind(configuration.GetSection(NoticeFaultInjection.Section));
        }

        // The host configures where the key ring lives (AddRiskMeshSecurity); this only makes sure the services exist.
        services.AddDataProtection();
        services.AddSingleton<WebhookSecretProtector>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookResumer>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<WebhookResumer>());
        return services;
    }
}
