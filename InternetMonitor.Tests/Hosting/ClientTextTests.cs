using InternetMonitor.Probe.Hosting;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Hosting;

/// <summary>Text from a client made safe to log, label and show: what is removed, what is kept, and where it is cut.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class ClientTextTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("esc\u001b]0;title\u0007here", "esc]0;titlehere")]
    [InlineData("nul\u0000vt\u000bdel\u007fc1\u0085end", "nulvtdelc1 end")]
    [InlineData("two\r\nlines\nand\rmore", "two lines and more")]
    [InlineData("tab\there", "tab here")]
    [InlineData("trojan\u202esource\u2066text\u2069", "trojansourcetext")]
    [InlineData("sep\u2028arated", "sep arated")]
    [InlineData("emoji \U0001F600 stays", "emoji \U0001F600 stays")]
    [InlineData(null, "")]
    public void Removes_control_and_direction_characters_and_turns_line_breaks_into_spaces(string? text, string expected) =>
        Assert.Equal(expected, ClientText.Clean(text, 1000));

    [Fact]
    public void An_unpaired_surrogate_becomes_the_replacement_character()
    {
        Assert.Equal("lone \ufffd surrogate", ClientText.Clean("lone " + (char)0xD800 + " surrogate", 100));
    }

    [Fact]
    public void Keeps_line_breaks_as_one_newline_when_asked()
    {
        Assert.Equal("one\ntwo\nthree", ClientText.Clean("one\r\ntwo\rthree", 100, keepLineBreaks: true));
    }

    [Theory]
    [InlineData("abcdef", 6, "abcdef")]
    [InlineData("abcdefg", 6, "abcde…")]
    [InlineData("ab\u0001cdef", 6, "abcdef")] // fits once cleaned: nothing cut
    public void A_text_longer_than_its_cap_ends_in_an_ellipsis_within_the_cap(string text, int cap, string expected)
    {
        var clean = ClientText.Clean(text, cap);

        Assert.Equal(expected, clean);
        Assert.True(clean.Length <= cap);
    }

    [Fact]
    public void A_cut_never_splits_a_surrogate_pair()
    {
        var clean = ClientText.Clean("abcd\U0001F600\U0001F600", 6); // a, b, c, d, then a pair that would be cut in half

        Assert.Equal("abcd…", clean);
        Assert.DoesNotContain(clean, char.IsSurrogate);
    }

    [Fact]
    public void A_quoted_value_is_cleaned_and_short()
    {
        var quoted = ClientText.Quote("\u001b[2J" + new string('9', 500));

        Assert.Equal(100 + 2, quoted.Length);
        Assert.StartsWith("\"[2J9", quoted, StringComparison.Ordinal);
        Assert.EndsWith("…\"", quoted, StringComparison.Ordinal);
    }
}
