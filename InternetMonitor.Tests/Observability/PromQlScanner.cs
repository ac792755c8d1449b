using System.Text.RegularExpressions;

namespace InternetMonitor.Tests.Observability;

/// <summary>One label matcher of a selector, its value as written between the quotes.</summary>
public sealed record PromQlMatcher(string Label, string Operator, string Value)
{
    public override string ToString() => $"{Label}{Operator}\"{Value}\"";
}

/// <summary>A vector selector: its metric name (empty for a bare <c>{...}</c>) and its label matchers.</summary>
public sealed record PromQlSelector(string Metric, IReadOnlyList<PromQlMatcher> Matchers)
{
    public bool Has(string label, string @operator, string value) =>
        Matchers.Any(matcher => matcher.Label == label && matcher.Operator == @operator && matcher.Value == value);

    public override string ToString() => Matchers.Count == 0 ? Metric : $"{Metric}{{{string.Join(", ", Matchers)}}}";
}

/// <summary>
/// A label list that decides which series meet or are added up: an aggregation's <c>by</c> or <c>without</c>, a vector
/// match's <c>on</c> or <c>ignoring</c>, or (an empty clause) an aggregation without one, which adds up every series.
/// </summary>
public sealed record PromQlGrouping(string Clause, IReadOnlyList<string> Labels)
{
    /// <summary>Whether series of different values of <paramref name="label"/> stay apart.</summary>
    public bool KeepsApart(string label) => Clause switch
    {
        "by" or "on" => Labels.Contains(label),
        "without" or "ignoring" => !Labels.Contains(label),
        _ => false,
    };

    public override string ToString() => Clause.Length == 0 ? "an aggregation without by" : $"{Clause} ({string.Join(", ", Labels)})";
}

/// <summary>
/// Finds the selectors and label lists of a PromQL expression: a metric name followed by an optional <c>{...}</c>, or a bare
/// <c>{...}</c>, is a selector; a name followed by <c>(</c> is a function or an aggregation; keywords, numbers, durations,
/// strings and the label lists after by, without, on, ignoring, group_left and group_right are none.
/// </summary>
public static partial class PromQlScanner
{
    // Hand-written because no PromQL parser library is served here (NuGet has none for .NET); promtool checks the syntax.
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal) { "and", "or", "unless", "bool", "offset", "atan2", "inf", "nan" };

    private static readonly HashSet<string> LabelLists = new(StringComparer.Ordinal) { "by", "without", "on", "ignoring", "group_left", "group_right" };

    // Those that add series up; topk, bottomk and the like keep each series' labels and read as functions here.
    private static readonly HashSet<string> Aggregations = new(StringComparer.Ordinal) { "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "quantile" };

    public static (IReadOnlyList<PromQlSelector> Selectors, IReadOnlyList<PromQlGrouping> Groupings) Scan(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var text = expression;
        var selectors = new List<PromQlSelector>();
        var groupings = new List<PromQlGrouping>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is '"' or '\'' or '`')
            {
                i = AfterString(text, i);
            }
            else if (c == '[')
            {
                i = text.IndexOf(']', i) + 1; // a range or a subquery's durations
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                i = Skip(text, i, ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_'); // a number, or a duration after offset
            }
            else if (c == '{')
            {
                var end = Closing(text, i, '{', '}');
                selectors.Add(new(string.Empty, Matchers(text[(i + 1)..end])));
                i = end + 1;
            }
            else if (char.IsAsciiLetter(c) || c is '_' or ':')
            {
                var wordEnd = Skip(text, i, ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or ':');
                var word = text[i..wordEnd];
                var next = Skip(text, wordEnd, char.IsWhiteSpace);
                var follows = next < text.Length ? text[next] : '\0';
                i = wordEnd;
                if (LabelLists.Contains(word) && follows == '(')
                {
                    var end = Closing(text, next, '(', ')');
                    if (word is not ("group_left" or "group_right")) // the labels copied from the other side, not matched on
                    {
                        groupings.Add(new(word, text[(next + 1)..end].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
                    }

                    i = end + 1;
                }
                else if (Aggregations.Contains(word) && follows == '(' && !ClauseAfter(text, Closing(text, next, '(', ')') + 1))
                {
                    groupings.Add(new(string.Empty, []));
                }
                else if (Keywords.Contains(word) || LabelLists.Contains(word) || Aggregations.Contains(word) || follows == '(')
                {
                    // A keyword, an aggregation whose clause comes (or came) apart, or a function.
                }
                else if (follows == '{')
                {
                    var end = Closing(text, next, '{', '}');
                    selectors.Add(new(word, Matchers(text[(next + 1)..end])));
                    i = end + 1;
                }
                else
                {
                    selectors.Add(new(word, []));
                }
            }
            else
            {
                i++;
            }
        }

        return (selectors, groupings);
    }

    private static List<PromQlMatcher> Matchers(string inside)
    {
        var matchers = new List<PromQlMatcher>();
        var start = 0;
        for (var i = 0; i <= inside.Length; i++)
        {
            if (i < inside.Length && inside[i] is '"' or '\'' or '`')
            {
                i = AfterString(inside, i) - 1;
            }
            else if (i == inside.Length || inside[i] == ',')
            {
                var part = inside[start..i].Trim();
                if (part.Length > 0)
                {
                    var match = Matcher().Match(part);
                    Assert.True(match.Success, $"not a label matcher: {part}");
                    matchers.Add(new(match.Groups["label"].Value, match.Groups["op"].Value, match.Groups["value"].Value));
                }

                start = i + 1;
            }
        }

        return matchers;
    }

    /// <summary>Whether a by or without clause follows an aggregation's body (<c>sum(x) by (a)</c>).</summary>
    private static bool ClauseAfter(string text, int from)
    {
        var start = Skip(text, from, char.IsWhiteSpace);
        var end = Skip(text, start, char.IsAsciiLetter);
        return text[start..end] is "by" or "without";
    }

    private static int AfterString(string text, int start)
    {
        var quote = text[start];
        var i = start + 1;
        while (text[i] != quote)
        {
            i += text[i] == '\\' && quote != '`' ? 2 : 1;
        }

        return i + 1;
    }

    /// <summary>The index of the bracket that closes the one at <paramref name="start"/>, strings skipped.</summary>
    private static int Closing(string text, int start, char open, char close)
    {
        var depth = 0;
        for (var i = start; ; i++)
        {
            if (text[i] is '"' or '\'' or '`')
            {
                i = AfterString(text, i) - 1;
            }
            else if (text[i] == open)
            {
                depth++;
            }
            else if (text[i] == close && --depth == 0)
            {
                return i;
            }
        }
    }

    private static int Skip(string text, int start, Func<char, bool> part)
    {
        var i = start;
        while (i < text.Length && part(text[i]))
        {
            i++;
        }

        return i;
    }

    [GeneratedRegex("""^(?<label>[A-Za-z_][A-Za-z0-9_]*)\s*(?<op>=~|!~|!=|=)\s*(?<quote>["'`])(?<value>.*)\k<quote>$""", RegexOptions.Singleline)]
    private static partial Regex Matcher();
}
