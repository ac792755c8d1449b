using InternetMonitor.Probe.Telemetry;
using InternetMonitor.Tests.Support;
using Prometheus;

namespace InternetMonitor.Tests.Telemetry;

[Trait(Layer.Key, Layer.Unit)]
public sealed class ExpositionWriterTests
{
    [Theory]
    [InlineData(0.001, "0.001")]
    [InlineData(0.00001, "1E-05")]
    [InlineData(12345678.5, "12345678.5")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    public void A_value_is_spelt_as_both_formats_parse_it(double value, string expected) =>
        Assert.Equal(expected, ExpositionWriter.Number(value));

    [Fact]
    public void A_label_value_has_its_backslash_quote_and_line_feed_escaped()
    {
        using var text = new StringWriter();
        new ExpositionWriter(text, ExpositionFormat.PrometheusText).Sample("m", [("target", "a\\b\"c\nd")], 1);
        Assert.Equal("m{target=\"a\\\\b\\\"c\\nd\"} 1\n", text.ToString());
    }

    [Theory]
    [InlineData(ExpositionFormat.PrometheusText, "# HELP m a \\\\ \"b\" \\nc\n# TYPE m summary\n")]
    [InlineData(ExpositionFormat.OpenMetricsText, "# HELP m a \\\\ \\\"b\\\" \\nc\n# TYPE m summary\n")]
    public void Help_is_escaped_as_each_format_asks(ExpositionFormat format, string expected)
    {
        using var text = new StringWriter();
        new ExpositionWriter(text, format).Family("m", "summary", "a \\ \"b\" \nc");
        Assert.Equal(expected, text.ToString());
    }

    [Fact]
    public void A_sample_without_labels_has_no_braces()
    {
        using var text = new StringWriter();
        new ExpositionWriter(text, ExpositionFormat.PrometheusText).Sample("m_count", [], 3);
        Assert.Equal("m_count 3\n", text.ToString());
    }
}
