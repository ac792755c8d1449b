using System.CommandLine;

namespace InternetMonitor.CommandLine;

/// <summary>
/// A command that takes configuration settings beside its options: <c>--Section:Key=value</c> or <c>--Section:Key value</c>,
/// overrides for Microsoft.Extensions.Configuration that System.CommandLine does not know and so leaves unmatched.
/// </summary>
/// <remarks>
/// The one pass-through of settings for the probe's and the AppHost's commands (this file is compiled into both).
/// A token that is no setting, or a key outside <see cref="Scope"/>, is one problem, reported before any action runs.
/// </remarks>
internal sealed class SettingsCommand : Command
{
    public SettingsCommand(string name, string description, SettingsScope scope)
        : base(name, description)
    {
        TreatUnmatchedTokensAsErrors = false;
        Scope = scope;
    }

    /// <summary>The keys this command passes on.</summary>
    public SettingsScope Scope { get; }

    /// <summary>What its help says after the settings, such as the exit codes.</summary>
    public string? Notes { get; init; }

    /// <summary>Runs <paramref name="action"/> with the settings given, each written <c>--Key=value</c>.</summary>
    public void SetAction(Func<ParseResult, IReadOnlyList<string>, CancellationToken, Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        SetAction((result, cancellationToken) => action(result, Read(result).Settings, cancellationToken));
    }

    /// <summary>The settings among the tokens the parse left unmatched, each as <c>--Key=value</c>, and one sentence per token that is none.</summary>
    public (IReadOnlyList<string> Settings, IReadOnlyList<string> Errors) Read(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var tokens = result.UnmatchedTokens;
        var settings = new List<string>();
        var errors = new List<string>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var equals = token.IndexOf('=', StringComparison.Ordinal);
            (string Key, string Value)? setting = null;
            if (token.StartsWith("--", StringComparison.Ordinal) && token.Length > 2 && token[2] is not ('-' or '='))
            {
                // --Key=value, or --Key value as Microsoft.Extensions.Configuration reads it (a value never begins with --).
                setting = equals > 0 ? (token[2..equals], token[(equals + 1)..])
                    : i + 1 < tokens.Count && !tokens[i + 1].StartsWith("--", StringComparison.Ordinal) ? (token[2..], tokens[++i])
                    : null;
            }

            if (setting is not { } known || (Scope.Sections.Count > 0 && !known.Key.Contains(':', StringComparison.Ordinal)))
            {
                errors.Add($"unknown argument {token}: settings are written {Scope.Form}");
            }
            else if (Scope.Problem(known.Key) is { } problem)
            {
                errors.Add(problem);
            }
            else
            {
                settings.Add($"--{known.Key}={known.Value}");
            }
        }

        return (settings, errors);
    }
}
