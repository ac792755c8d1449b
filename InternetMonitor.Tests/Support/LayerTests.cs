using System.Reflection;

namespace InternetMonitor.Tests.Support;

/// <summary>The layers hold: every class with tests is in exactly one, and a unit test that reaches for more is failed.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class LayerTests
{
    private static readonly string[] Layers = [Layer.Unit, Layer.Integration, Layer.EndToEnd];

    [Fact]
    public void Every_class_with_tests_carries_exactly_one_layer()
    {
        var classes = typeof(LayerTests).Assembly.GetTypes()
            .Where(type => type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
                .Any(method => method.IsDefined(typeof(FactAttribute), inherit: true)))
            .ToList();

        var wrong = classes
            .Select(type => (type, layers: LayerTraits(type.GetCustomAttributes<TraitAttribute>(inherit: true)).ToList(),
                onMethods: type.GetMethods().Count(method => LayerTraits(method.GetCustomAttributes<TraitAttribute>()).Any())))
            .Where(found => found.layers.Count != 1 || !Layers.Contains(found.layers[0]) || found.onMethods > 0)
            .Select(found => $"{found.type.FullName}: [{string.Join(", ", found.layers)}]{(found.onMethods > 0 ? ", and a layer on a method" : "")}")
            .ToList();

        Assert.True(classes.Count > 50, $"found only {classes.Count} classes with tests"); // the scan itself works
        Assert.Empty(wrong);
    }

    [Fact]
    public void A_unit_test_that_asks_for_root_or_a_program_fails_even_where_they_are_there()
    {
        var root = Assert.ThrowsAny<Exception>(Prerequisite.RequireRoot);
        var program = Assert.ThrowsAny<Exception>(() => Prerequisite.RequireProgram("sh", "dash"));

        Assert.All([root, program], exception => Assert.Equal("FailException", exception.GetType().Name)); // failed, not skipped
        Assert.Contains("is in the Unit layer, which may not need this: needs root", root.Message, StringComparison.Ordinal);
        Assert.Contains("needs 'sh'", program.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<string> LayerTraits(IEnumerable<TraitAttribute> traits) =>
        traits.Where(trait => trait.Name == Layer.Key).Select(trait => trait.Value);
}
