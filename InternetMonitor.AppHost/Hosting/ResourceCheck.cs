using InternetMonitor.AppHost.Model;

namespace InternetMonitor.AppHost.Hosting;

/// <summary>
/// Runs each available resource's settings check (<see cref="Resource.SettingsCheck"/>) as it would start (same
/// environment, same working folder, under the launcher's guard), so that a bad setting stops the stack with the
/// resource's own message before anything starts. A check that does not answer within a minute is stopped and fails.
/// </summary>
public static class ResourceCheck
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    /// <summary>One message per resource whose check failed, prefixed with its name; empty when all passed.</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(IEnumerable<RunningResource> resources, ResourceContext context, ProcessLauncher launcher, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(launcher);
        var problems = new List<string>();
        foreach (var running in resources.Where(running => running.Resource.SettingsCheck is not null && running.Program is not null))
        {
            var resource = running.Resource;
            var launch = LaunchSpec.For(resource, context, resource.SettingsCheck);
            using var process = await launcher.StartAsync(running.Program!, launch.Arguments, launch.Environment, context.DataDirectory(resource)).ConfigureAwait(false);
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await launcher.StopAsync(process, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                problems.Add($"{resource.Name}: its settings check did not finish within {Timeout.TotalSeconds:0} s");
                continue;
            }

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
