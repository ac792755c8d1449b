using System.CommandLine;
using System.Globalization;

namespace InternetMonitor.CommandLine;

/// <summary>Options given more than once, the last one counting, as a later setting overrides an earlier one.</summary>
internal static class LastWins
{
    /// <summary>
    /// Lets <paramref name="option"/> be given again (<c>--mode=process ... --mode=container</c>), one value each time:
    /// a script's defaults first and the user's choice after them, as the hand-written parsers had it.
    /// </summary>
    public static Option<T> GivenLastWins<T>(this Option<T> option)
        where T : IParsable<T>
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Arity = ArgumentArity.OneOrMore;
        option.AllowMultipleArgumentsPerToken = false;
        option.CustomParser = result =>
        {
            var value = result.Tokens[^1].Value;
            if (T.TryParse(value, CultureInfo.InvariantCulture, out var parsed))
            {
                return parsed;
            }

            result.AddError($"{option.Name} must be {(typeof(T) == typeof(int) || typeof(T) == typeof(long) ? "a whole number" : $"a {typeof(T).Name}")} (got '{value}')");
            return default;
        };
        return option;
    }
}
