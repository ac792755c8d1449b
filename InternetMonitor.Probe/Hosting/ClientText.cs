using System.Globalization;
using System.Text;

namespace InternetMonitor.Probe.Hosting;

/// <summary>
/// Text that came from a client (an alert's name and labels, a query value), made safe to log, to use as a metric label
/// and to show: control characters removed (a terminal runs ESC sequences; NUL and VT confuse log readers), the
/// direction overrides that make text read other than it is stored removed, line breaks turned into spaces unless kept,
/// and the length capped.
/// </summary>
public static class ClientText
{
    /// <summary>What ends a capped text, so that a reader sees it was cut.</summary>
    public const char Ellipsis = '…';

    /// <summary><paramref name="text"/> cleaned and cut to at most <paramref name="maxLength"/> characters (null: empty).</summary>
    /// <param name="text">What the client sent.</param>
    /// <param name="maxLength">The most characters kept, the ellipsis that marks a cut included.</param>
    /// <param name="keepLineBreaks">Keep line breaks (as \n) for a multi-line text kept in the history; a log line never keeps them.</param>
    public static string Clean(string? text, int maxLength, bool keepLineBreaks = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (text.Length <= maxLength && !NeedsCleaning(text))
        {
            return text;
        }

        var clean = new StringBuilder(Math.Min(text.Length, maxLength));
        var previous = default(Rune);
        foreach (var rune in text.EnumerateRunes()) // an unpaired surrogate comes out as U+FFFD
        {
            var kept = rune.Value switch
            {
                '\n' when previous.Value == '\r' => (Rune?)null, // \r\n is one break
                '\r' or '\n' or 0x85 or 0x2028 or 0x2029 => keepLineBreaks ? new Rune('\n') : new Rune(' '),
                '\t' => new Rune(' '),
                _ when IsDirectionControl(rune.Value) || Rune.GetUnicodeCategory(rune) == UnicodeCategory.Control => null,
                _ => rune,
            };
            previous = rune;
            if (kept is not { } keep)
            {
                continue;
            }

            clean.Append(keep.ToString());
            if (clean.Length > maxLength)
            {
                break; // enough to know it is cut
            }
        }

        if (clean.Length <= maxLength)
        {
            return clean.ToString();
        }

        var cut = maxLength - 1;
        if (char.IsLowSurrogate(clean[cut]))
        {
            cut--; // never half a pair
        }

        return clean.ToString(0, cut) + Ellipsis;
    }

    /// <summary><paramref name="value"/> cleaned, cut to <paramref name="maxLength"/> and in double quotes, to name in an answer (got "...").</summary>
    public static string Quote(string? value, int maxLength = 100) => $"\"{Clean(value, maxLength)}\"";

    private static bool NeedsCleaning(string text)
    {
        foreach (var character in text)
        {
            if (character < 0x20 || character is >= (char)0x7F and <= (char)0x9F || char.IsSurrogate(character) || IsDirectionControl(character)
                || character is (char)0x2028 or (char)0x2029)
            {
                return true;
            }
        }

        return false;
    }

    // Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): what "Trojan Source" text hides behind.
    private static bool IsDirectionControl(int value) => value is (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069);
}
