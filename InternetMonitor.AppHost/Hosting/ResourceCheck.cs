using System.Diagnostics;
using InternetMonitor.AppHost.Model;

namespace InternetMonitor.AppHost.Hosting;

/// <summary>
/// Runs each available resource's settings check (<see cref="Resource.SettingsCheck"/>) with the environment it would
/// start with, so that a bad setting stops the stack with the resource's own message before anything starts.
/// </summary>
public static class ResourceCheck
{
    /// <summary>One message per resource whose check failed, prefixed with its name; empty when all passed.</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(StackModel model, ResourceContext context)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(context);
        var problems = new List<string>();
        foreach (var resource in model.Resources.Where(resource => resource.SettingsCheck is not null && context.IsAvailable(resource)))
        {
            var info = new ProcessStartInfo(ProgramLocator.Find(resource)!) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in resource.SettingsCheck!(context))
            {
                info.ArgumentList.Add(argument);
            }

            foreach (var (name, value) in resource.Environment.SelectMany(variables => variables(context)).Concat(StackModel.ReferenceVariables(resource, context)))
            {
                info.Environment[name] = value;
            }

            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().ConfigureAwait(false);
            await output.ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                var message = (await error.ConfigureAwait(false)).Trim();
                problems.Add($"{resource.Name}: {(message.Length > 0 ? message : $"its settings check exited with code {process.ExitCode}")}");
            }
        }

        return problems;
    }
}
