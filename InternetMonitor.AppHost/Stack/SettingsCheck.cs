using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace InternetMonitor.AppHost.Stack;

/// <summary>Finds settings that no options property reads: a typo, which would otherwise leave a feature silently off.</summary>
public static class SettingsCheck
{
    /// <summary>One sentence per unknown key under <paramref name="section"/>, naming its full path and the keys that exist there.</summary>
    public static IEnumerable<string> UnknownKeys(IConfigurationSection section, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type type)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(type);
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(property => property.CanWrite).ToDictionary(property => property.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out var property))
            {
                yield return $"{child.Path} is not a known setting (known: {string.Join(", ", properties.Keys.Order(StringComparer.Ordinal))})";
                continue;
            }

            var nested = property.PropertyType;
            if (nested.IsGenericType && nested.GetGenericTypeDefinition() == typeof(Dictionary<,>) && nested.GetGenericArguments()[1] is { IsClass: true } entry && entry != typeof(string))
            {
                // A map of named entries (Central:Sites:NAME): any name, each entry's keys checked.
                foreach (var problem in child.GetChildren().SelectMany(named => UnknownKeys(named, entry)))
                {
                    yield return problem;
                }
            }
            else if (nested.IsClass && nested != typeof(string) && nested != typeof(Uri))
            {
                foreach (var problem in UnknownKeys(child, nested))
                {
                    yield return problem;
                }
            }
        }
    }
}
