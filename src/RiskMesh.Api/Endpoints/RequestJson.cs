using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RiskMesh.Api.Endpoints;

/// <summary>
/// How request bodies the API reads itself are read: the web defaults, and a field the body's type does not have is
/// refused by name (a misspelt <c>"coment"</c> lost an acknowledgement's comment for good, newcomer 13). The bodies the
/// framework binds get the same rule through the host's JSON options (<see cref="RiskMeshApi"/>).
/// </summary>
public static class RequestJson
{
    /// <summary>The web defaults with unknown fields refused.</summary>
    public static JsonSerializerOptions Options { get; } = Strict(new JsonSerializerOptions(JsonSerializerOptions.Web));

    /// <summary>Refuses unknown fields in <paramref name="options"/>, and returns them.</summary>
    public static JsonSerializerOptions Strict(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        return options;
    }

    /// <summary>
    /// The JSON names of the fields a body of <paramref name="type"/> takes (of its elements, for a list), as the web
    /// defaults write them.
    /// </summary>
    public static IReadOnlyList<string> FieldsOf(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var element = type.IsGenericType && type.GetGenericArguments() is [var single] && typeof(System.Collections.IEnumerable).IsAssignableFrom(type)
            ? single
            : type.IsArray ? type.GetElementType()! : type;
        return [.. element.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name))];
    }
}
