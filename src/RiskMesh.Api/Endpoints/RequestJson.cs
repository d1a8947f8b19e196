using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RiskMesh.Api.Endpoints;

/// <summary>
/// How request bodies are read: the web defaults, and nothing sent is dropped in silence. A field the body's type does
/// not have is refused by name (a misspelt <c>"coment"</c> lost an acknowledgement's comment for good, newcomer 13): the
/// request types carry <c>[JsonUnmappedMemberHandling(Disallow)]</c>, so the framework's binding refuses them too, and
/// the OpenAPI document says so of those types only (set on the host's options, it said it of every answer as well,
/// ProblemDetails included, review 13 M2). A field given twice is refused (the last value would win: a key request
/// <c>{"role": "analyst", "role": "admin"}</c> issued an admin key): <see cref="RefuseRepeatedFields"/> on the host's
/// options, and here for the bodies read by hand.
/// </summary>
public static class RequestJson
{
    /// <summary>The web defaults with repeated and unknown fields refused, for bodies the API reads itself.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerOptions.Web)
    {
        AllowDuplicateProperties = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Refuses a field given twice in <paramref name="options"/> (it changes nothing the OpenAPI document says).</summary>
    public static JsonSerializerOptions RefuseRepeatedFields(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AllowDuplicateProperties = false;
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
