using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using RiskMesh.Abstractions.Webhooks;
using RiskMesh.Api.Endpoints;
using RiskMesh.Api.Security;
using RiskMesh.Grains;
using RiskMesh.Grains.Assistance;
using RiskMesh.Grains.Webhooks;
using RiskMesh.Scoring.Assistance;

namespace RiskMesh.Silo.Hosting;

/// <summary>
/// Checks every RiskMesh setting before the host creates anything (data directory, database, listeners): values that
/// do not convert and each options class's own <see cref="IValidateOptions{TOptions}"/> rules, all reported at once.
/// Names that are not settings inside a known section are warnings: likely typos, but never a reason to refuse a start
/// (a setting a newer version reads must not stop an older one).
/// </summary>
public static class SettingsCheck
{
    /// <summary>Each options section and the class bound to it (the README's settings tables list their properties).</summary>
    public static IReadOnlyList<(string Section, Type Options)> Sections { get; } =
    [
        (RiskMeshApiOptions.Section, typeof(RiskMeshApiOptions)),
        (RiskMeshGrainOptions.Section, typeof(RiskMeshGrainOptions)),
        (RiskMeshSecurityOptions.Section, typeof(RiskMeshSecurityOptions)),
        (WebhookOptions.Section, typeof(WebhookOptions)),
        (AssistanceReader.Section, typeof(AssistanceOptions)),
        (NoticeFaultInjection.Section, typeof(NoticeFaultInjection)),
    ];

    /// <summary>Every problem with the configuration, empty when the host may start.</summary>
    public static IReadOnlyList<string> Problems(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<string>();
        RiskMeshHostSettings.Read(configuration, problems);
        Check(configuration, RiskMeshApiOptions.Section, new RiskMeshApiOptionsValidator(), problems);
        Check(configuration, RiskMeshGrainOptions.Section, new RiskMeshGrainOptionsValidator(), problems);
        Check(configuration, WebhookOptions.Section, new WebhookOptionsValidator(), problems);
        Check(configuration, AssistanceReader.Section, new AssistanceOptionsValidator(), problems);
        Check<RiskMeshSecurityOptions>(configuration, RiskMeshSecurityOptions.Section, validator: null, problems);
        Check<NoticeFaultInjection>(configuration, NoticeFaultInjection.Section, validator: null, problems);
        return problems;
    }

    /// <summary>Names under a known section that no options class reads (likely typos), one sentence each.</summary>
    public static IReadOnlyList<string> Warnings(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var warnings = new List<string>();
        foreach (var (section, type) in Sections)
        {
            CheckNames(configuration.GetSection(section), type, warnings);
        }

        return warnings;
    }

    /// <summary>Throws <see cref="InvalidSettingsException"/> listing every problem, if there is any.</summary>
    public static void ThrowIfInvalid(IConfiguration configuration)
    {
        var problems = Problems(configuration);
        if (problems.Count > 0)
        {
            throw new InvalidSettingsException(problems);
        }
    }

    private static void Check<T>(IConfiguration configuration, string sectionPath, IValidateOptions<T>? validator, List<string> problems)
        where T : class
    {
        var section = configuration.GetSection(sectionPath);
        var before = problems.Count;
        CheckShape(section, typeof(T), problems);
        if (problems.Count > before)
        {
            return;
        }

        var options = section.Get<T>() ?? Activator.CreateInstance<T>();
        if (validator is not null)
        {
            var result = validator.Validate(Options.DefaultName, options);
            if (result.Failed)
            {
                problems.AddRange(result.Failures);
            }
        }

        // Data-annotation rules (the security options use them) are checked on every property, not the first only.
        var annotations = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), annotations, validateAllProperties: true))
        {
            problems.AddRange(annotations.Select(r => $"{sectionPath}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        }
    }

    /// <summary>Walks a section against a type's settable properties: values that do not convert.</summary>
    private static void CheckShape(IConfigurationSection section, Type type, List<string> problems)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true })
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out var property))
            {
                continue;
            }

            if (IsNested(property.PropertyType))
            {
                CheckShape(child, property.PropertyType, problems);
                continue;
            }

            try
            {
                child.Get(property.PropertyType);
            }
            catch (InvalidOperationException)
            {
                problems.Add($"{child.Path} must be {Describe(property.PropertyType)}, got '{child.Value}'");
            }
        }
    }

    private static void CheckNames(IConfigurationSection section, Type type, List<string> warnings)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true })
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out var property))
            {
                warnings.Add($"{child.Path} is not a setting (known in {section.Path}: {string.Join(", ", properties.Keys.Order(StringComparer.Ordinal))})");
            }
            else if (IsNested(property.PropertyType))
            {
                CheckNames(child, property.PropertyType, warnings);
            }
        }
    }

    private static bool IsNested(Type type) =>
        type.IsClass && type != typeof(string) && !type.IsArray;

    private static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(TimeSpan) ? "a duration such as 00:00:30"
            : type == typeof(bool) ? "true or false"
            : type == typeof(int) || type == typeof(long) ? "a whole number"
            : type == typeof(double) ? "a number"
            : type.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(type))
            : "a " + type.Name;
    }
}

/// <summary>The host's settings are invalid; <see cref="Problems"/> names each problem.</summary>
public sealed class InvalidSettingsException(IReadOnlyList<string> problems)
    : Exception("RiskMesh settings are invalid: " + string.Join("; ", problems))
{
    /// <summary>Each problem, one sentence naming the setting.</summary>
    public IReadOnlyList<string> Problems { get; } = problems;
}
