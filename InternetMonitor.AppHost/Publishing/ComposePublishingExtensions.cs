using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Pipelines;
using InternetMonitor.AppHost.Stack;
using Microsoft.Extensions.DependencyInjection;

namespace InternetMonitor.AppHost.Publishing;

/// <summary>
/// The compose project as a step of Aspire's pipeline, which <c>publish</c> requires: <c>aspire publish</c> and
/// <c>dotnet run --project InternetMonitor.AppHost -- publish --output DIR</c> both run it. Aspire.Hosting.Docker,
/// which would do this, is not available to this project; the step walks the model the way it does.
/// </summary>
public static class ComposePublishingExtensions
{
    public const string StepName = "publish-compose";

#pragma warning disable ASPIREPIPELINES004 // the output folder of `publish --output-path`: experimental as the pipeline is

    /// <summary>Adds the step; Prometheus' targets are rendered as <paramref name="prometheus"/> reaches the others.</summary>
    public static IDistributedApplicationBuilder AddComposePublishing(this IDistributedApplicationBuilder builder, IResource prometheus)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var stack = builder.GetStack();
        builder.Pipeline.AddStep(StepName, async context =>
        {
            var output = context.Services.GetRequiredService<IPipelineOutputService>().GetOutputDirectory();
            var publisher = new ComposePublisher(stack, builder.Configuration, context.Model, prometheus);
            var problems = await publisher.PublishAsync(output, stack.Arguments.Runtime, context.ExecutionContext, Console.Out, context.CancellationToken).ConfigureAwait(false);
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    // The probe's own refusal is said as it says it; the rest stops this publish.
                    await Console.Error.WriteLineAsync(problem.StartsWith("probe: ", StringComparison.Ordinal) ? problem : $"Cannot publish: {problem}").ConfigureAwait(false);
                }

                Environment.ExitCode = StackBuilderExtensions.ErrorExitCode;
                throw new InvalidOperationException($"the compose project was not written: {string.Join("; ", problems)}");
            }

            await Console.Out.WriteLineAsync($"Published the compose project to {output}").ConfigureAwait(false);
        }, requiredBy: WellKnownPipelineSteps.Publish);
        return builder;
    }
#pragma warning restore ASPIREPIPELINES004
}
