using System.Text.Json;
using System.Text.Json.Serialization;

namespace MentorFlow.Functions.Hosting;

public static class Json
{
    /// <summary>The shape of everything the app writes: API responses and Cosmos documents.</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = null;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        return options;
    }

    public static JsonSerializerOptions Output { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>What the app accepts: strict, so that a typo or a duplicate field is an error naming it, not a silent default.</summary>
    public static JsonSerializerOptions Input { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 16,
        NumberHandling = JsonNumberHandling.Strict,
    };
}
