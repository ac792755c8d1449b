using System.CommandLine;
using System.CommandLine.Help;

namespace InternetMonitor.CommandLine;

/// <summary>
/// Parses a command line with System.CommandLine and runs the command it names: help when asked (whatever else was
/// given), else every problem one line each on the error writer and exit code 2, else the command's action.
/// </summary>
internal static class CommandLineRun
{
    /// <summary>Bad arguments: an unknown option, a missing or malformed value, a setting outside the command's sections.</summary>
    public const int UsageExitCode = 2;

    /// <summary>
    /// Runs <paramref name="root"/> on <paramref name="arguments"/>; <paramref name="line"/> turns a problem into the line
    /// written for it, with the command it was found in.
    /// </summary>
    public static async Task<int> InvokeAsync(Command root, IReadOnlyList<string> arguments, TextWriter output, TextWriter error, Func<Command, string, string> line, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(line);

        // No response files: an argument that begins with @ is a value like any other, as it was for the configuration.
        var result = root.Parse(arguments, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (result.Action is not { ClearsParseErrors: true })
        {
            var command = result.CommandResult.Command;
            var problems = result.Errors.Select(problem => problem.Message)
                .Concat(command is SettingsCommand settings ? settings.Read(result).Errors : [])
                .ToList();
            foreach (var problem in problems)
            {
                await error.WriteLineAsync(line(command, problem)).ConfigureAwait(false);
            }

            if (problems.Count > 0)
            {
                return UsageExitCode;
            }
        }

        if (result.Action is HelpAction && result.CommandResult.Command is SettingsCommand help)
        {
            using var text = new StringWriter();
            var code = await result.InvokeAsync(Invocation(text, error), cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(WithSettings(text.ToString(), help)).ConfigureAwait(false);
            return code;
        }

        return await result.InvokeAsync(Invocation(output, error), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The commands stop on their own signals (the web host's, the speed test's Ctrl+C): none of the library's.</summary>
    private static InvocationConfiguration Invocation(TextWriter output, TextWriter error) =>
        new() { Output = output, Error = error, ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false };

    /// <summary>
    /// The library's help with its "additional arguments" (what a command that lets unknown tokens through is said to
    /// take) named for what they are here: settings. Its words are the library's English (invariant globalization).
    /// </summary>
    private static string WithSettings(string help, SettingsCommand command)
    {
        const string Section = "Additional Arguments:\n  Arguments passed to the application that is being run.\n";
        help = help.Replace("[[--] <additional arguments>...]]", $"[{command.Scope.Form} ...]", StringComparison.Ordinal);
        var settings = command.Scope.Help.ReplaceLineEndings("\n") + "\n" + (command.Notes is { } notes ? "\n" + notes.ReplaceLineEndings("\n") + "\n" : string.Empty);
        return help.Contains(Section, StringComparison.Ordinal) ? help.Replace(Section, settings, StringComparison.Ordinal) : help + settings;
    }
}
