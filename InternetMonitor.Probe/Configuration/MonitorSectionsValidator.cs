using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Configuration;

/// <summary>
/// Rejects any key under <c>Monitor</c> that no options class reads, so that a misspelt "Intervall" or
/// "Icmpp" stops the start instead of being silently ignored. Dictionaries accept any key (they are names).
/// </summary>
public sealed class MonitorSectionsValidator(IConfiguration configuration, IEnumerable<KnownSection> known) : IValidateOptions<MonitorSections>
{
    public ValidateOptionsResult Validate(string? name, MonitorSections options)
    {
        var sections = known.ToDictionary(section => section.Name, section => section.OptionsType, StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        foreach (var child in configuration.GetSection(OptionsRegistration.Root).GetChildren())
        {
            if (sections.TryGetValue(child.Key, out var type))
            {
                Walk(child, type, errors);
            }
            else
            {
                errors.Add($"{child.Path} is not a known section (known: {string.Join(", ", sections.Keys.Order(StringComparer.Ordinal))})");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    // The options types and the types of their properties all live in this assembly, which a native build
    // roots whole (TrimmerRootAssembly in the project file): their public properties are always there to read.
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "The probe's assembly is rooted whole in a native build.")]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "The probe's assembly is rooted whole in a native build.")]
    private static void Walk(IConfigurationSection section, Type type, List<string> errors)
    {
        if (IsScalar(type))
        {
            return;
        }

        if (ElementType(type) is { } element)
        {
            foreach (var child in section.GetChildren())
            {
                Walk(child, element, errors);
            }

            return;
        }

        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.CanWrite || ElementType(property.PropertyType) is not null)
            .ToDictionary(property => property.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (properties.TryGetValue(child.Key, out var property))
            {
                Walk(child, property.PropertyType, errors);
            }
            else
            {
                errors.Add($"{child.Path} is not a known setting (known: {string.Join(", ", properties.Keys.Order(StringComparer.Ordinal))})");
            }
        }
    }

    private static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
            || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(Uri);
    }

    /// <summary>The value type of a dictionary or the element type of a list or array; null otherwise.</summary>
    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        var generic = type.IsGenericType ? type.GetGenericTypeDefinition() : null;
        if (generic == typeof(Dictionary<,>) || generic == typeof(IDictionary<,>) || generic == typeof(IReadOnlyDictionary<,>))
        {
            return type.GetGenericArguments()[1];
        }

        if (generic == typeof(List<>) || generic == typeof(IList<>) || generic == typeof(IReadOnlyList<>) || generic == typeof(ICollection<>)
            || generic == typeof(IEnumerable<>) || generic == typeof(HashSet<>) || generic == typeof(ISet<>))
        {
            return type.GetGenericArguments()[0];
        }

        return null;
    }
}
