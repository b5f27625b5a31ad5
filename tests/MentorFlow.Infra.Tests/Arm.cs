using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MentorFlow.Infra.Tests;

/// <summary>One resource of the compiled template, found in the nested deployment (module) that declares it.</summary>
public sealed record ArmResource(string Type, JsonObject Body, ArmScope Scope)
{
    public JsonNode? Resolve(JsonNode? value) => Scope.Resolve(value);

    public JsonNode? Property(params string[] path)
    {
        JsonNode? node = Body;
        foreach (var step in path)
        {
            node = node is JsonObject o ? o[step] : null;
            node = Resolve(node);
        }
        return node;
    }
}

/// <summary>
/// The variables and parameters in force inside one template (the root, or a module's inner template with the values its
/// caller passes), enough to read literal values behind <c>[variables('x')]</c> and <c>[parameters('x')]</c>.
/// </summary>
public sealed partial class ArmScope(JsonObject template, IReadOnlyDictionary<string, JsonNode?> arguments)
{
    public JsonObject Template { get; } = template;

    public static ArmScope Root(JsonObject template) => new(template, new Dictionary<string, JsonNode?>());

    public JsonNode? Resolve(JsonNode? value)
    {
        if (value is JsonValue v && v.TryGetValue<string>(out var text))
        {
            var match = Reference().Match(text);
            if (match.Success)
            {
                var name = match.Groups[2].Value;
                return match.Groups[1].Value == "variables" ? Variable(name) : Parameter(name);
            }
        }
        return value;
    }

    private JsonNode? Variable(string name) => Template["variables"]?[name] is { } node ? Resolve(node.DeepClone()) : null;

    public JsonNode? Parameter(string name)
    {
        if (arguments.TryGetValue(name, out var passed))
        {
            return passed;
        }
        return Template["parameters"]?[name]?["defaultValue"]?.DeepClone();
    }

    /// <summary>Every resource here and in every module below, with the scope that reads its values.</summary>
    public IEnumerable<ArmResource> Resources()
    {
        var resources = Template["resources"] switch
        {
            JsonArray array => array.OfType<JsonObject>(),
            JsonObject symbolic => symbolic.Select(p => p.Value).OfType<JsonObject>(),
            _ => [],
        };
        foreach (var resource in resources)
        {
            var type = resource["type"]!.GetValue<string>();
            yield return new ArmResource(type, resource, this);
            if (type == "Microsoft.Resources/deployments" && resource["properties"]?["template"] is JsonObject inner)
            {
                var passed = new Dictionary<string, JsonNode?>();
                foreach (var (name, argument) in resource["properties"]?["parameters"]?.AsObject() ?? [])
                {
                    passed[name] = argument is JsonObject wrapped ? Resolve(wrapped["value"]?.DeepClone()) : argument?.DeepClone();
                }
                foreach (var nested in new ArmScope(inner, passed).Resources())
                {
                    yield return nested;
                }
            }
        }
    }

    [GeneratedRegex(@"^\[(variables|parameters)\('([A-Za-z0-9_]+)'\)\]$")]
    private static partial Regex Reference();
}
