using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using InternetMonitor.AppHost.Publishing;
using InternetMonitor.AppHost.Stack;

namespace InternetMonitor.AppHost.Integrations.Parts;

/// <summary>
/// What every observability part shares: declared as a container (its pinned image) when the stack runs in containers
/// or is published, else as the program found on PATH; its fixed port, not proxied, and its health check; and the
/// concerns each part adds with the <c>With...</c> methods here (its scrape job, its data, its configuration).
/// </summary>
public static class StackPartBuilderExtensions
{
    /// <summary>
    /// Adds the part <paramref name="name"/>. A program that is not on this host is one line (said before the start),
    /// naming its package, and the part is left out of the model: waits on it and references to it are dropped, and
    /// its scrape job gets no target, so the rest comes up without it.
    /// </summary>
    public static IResourceBuilder<IStackPartResource> AddStackPart(this IDistributedApplicationBuilder builder, string name, StackPart part)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(part);
        var stack = builder.GetStack();
        var layout = stack.Layout;
        IResourceBuilder<IStackPartResource> resource;
        if (layout.InContainers)
        {
            var container = builder.AddResource(new PartContainerResource(name)).WithImage(part.Image, part.Tag);
            if (layout.Run == StackRun.Containers)
            {
                if (builder.Configuration[part.ImageVariable] is { Length: > 0 } named)
                {
                    // An image the operator names instead of the pin (a mirror, a local build): the compose project's .env variable.
                    var image = ImageReference.Parse(named);
                    var annotation = container.Resource.Annotations.OfType<ContainerImageAnnotation>().Single();
                    (annotation.Registry, annotation.Image) = (null, image.Image);
                    if (image.Sha256 is { } digest)
                    {
                        annotation.SHA256 = digest;
                    }
                    else
                    {
                        annotation.Tag = image.Tag; // alone: Aspire's annotation holds a tag or a digest, and setting the digest (even to null) clears the tag
                    }
                }

                // An image already in the engine is used as it is: pulled only when missing, so no registry need answer.
                container.WithImagePullPolicy(ImagePullPolicy.Missing)
                    // The parts reach the probe, a process of this host, through the host's gateway (Aspire's own tunnel is off).
                    .WithContainerRuntimeArgs($"--add-host={StackLayout.ContainerHostGateway}:host-gateway");
            }

            resource = container;
        }
        else if (ProgramLocator.Find(part.Programs) is { } program)
        {
            // It runs in its own data folder (DCP needs the working folder to exist).
            var data = Directory.CreateDirectory(Path.Combine(layout.StateDirectory, "data", name)).FullName;
            resource = builder.AddResource(new HostProgramResource(name, program, data));
        }
        else
        {
            var message = $"{name}: {string.Join(" or ", part.Programs)} not found on PATH ({part.Hint}); the rest comes up without it";
            stack.Missing.Add(message);
            var missing = new HostProgramResource(name, part.Programs[0], layout.StateDirectory);
            missing.Annotations.Add(new MissingPartAnnotation(message));
            resource = builder.CreateResourceBuilder<IStackPartResource>(missing);
        }

        resource.WithHttpEndpoint(port: part.Port, targetPort: part.Port, isProxied: false);
        if (layout.Run == StackRun.Containers)
        {
            resource.WithEndpoint("http", endpoint => endpoint.TargetHost = layout.Options.ListenAddress);
        }

        return resource
            .WithHttpHealthCheck(part.HealthPath)
            .WithAnnotation(new ComposeServiceAnnotation(part.ImageVariable, part.Image, part.Tag) { HealthPath = part.HealthPath });
    }

    /// <summary>Whether the part runs in this stack: its program was found (or it is a container), and Stack:Profiles does not switch it off.</summary>
    public static bool IsPresent(this IResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return !resource.Annotations.OfType<MissingPartAnnotation>().Any();
    }

    /// <summary>Aspire's <c>WaitFor</c>, for a part: waits for it to be healthy, or not at all when it is not installed.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<IStackPartResource> part)
        where T : IResourceWithWaitSupport
    {
        ArgumentNullException.ThrowIfNull(part);
        return part.Resource.IsPresent() ? ResourceBuilderExtensions.WaitFor(builder, (IResourceBuilder<IResource>)part) : builder;
    }

    /// <summary>Aspire's <c>WithReference</c>, for a part: its endpoints as service-discovery variables, or nothing when it is not installed.</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<IStackPartResource> part)
        where T : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(part);
        return part.Resource.IsPresent() ? ResourceBuilderExtensions.WithReference(builder, (IResourceBuilder<IResourceWithServiceDiscovery>)part) : builder;
    }

    /// <summary>Prometheus scrapes the part's <c>http</c> endpoint as <paramref name="job"/>.</summary>
    public static IResourceBuilder<T> WithScrapeJob<T>(this IResourceBuilder<T> builder, string job)
        where T : IResource => builder.WithAnnotation(new ScrapeJobAnnotation(job));

    /// <summary>Its data in a named volume mounted at <paramref name="path"/> in its container (a folder of the state directory for a program).</summary>
    public static IResourceBuilder<T> WithDataVolume<T>(this IResourceBuilder<T> builder, string path)
        where T : IResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Resource.Compose().DataPath = path;
        if (builder.Resource is ContainerResource && builder.ApplicationBuilder.GetStack().Layout.Run == StackRun.Containers)
        {
            builder.WithAnnotation(new ContainerMountAnnotation($"internet-monitor-apphost-{builder.Resource.Name}-data", path, ContainerMountType.Volume, isReadOnly: false));
        }

        return builder;
    }

    /// <summary>Reads <paramref name="relative"/> (a file or folder of the rendered observability/), mounted read-only in its container.</summary>
    public static IResourceBuilder<T> WithConfig<T>(this IResourceBuilder<T> builder, params string[] relative)
        where T : IResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(relative);
        builder.Resource.Compose().Config.AddRange(relative);
        var layout = builder.ApplicationBuilder.GetStack().Layout;
        if (builder.Resource is ContainerResource && layout.Run == StackRun.Containers)
        {
            foreach (var path in relative)
            {
                builder.WithAnnotation(new ContainerMountAnnotation(Path.Combine(layout.ObservabilityDirectory, path), layout.Config(path), ContainerMountType.BindMount, isReadOnly: true));
            }
        }

        return builder;
    }

    /// <summary>
    /// The folder of the rendered observability/ that holds its secrets, each file mounted alone into its container (here
    /// by <see cref="Stack.StackStartup"/> once rendered, in the compose project by the publisher).
    /// </summary>
    public static IResourceBuilder<T> WithSecrets<T>(this IResourceBuilder<T> builder, string folder)
        where T : IResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Resource.Compose().SecretsFolder = folder;
        return builder;
    }

    /// <summary>
    /// An optional part, switched on by <paramref name="profile"/> in Stack:Profiles: the compose project's profile; in a
    /// run, a part switched off is left out of the model as one that is not installed (a part with no image here, say).
    /// </summary>
    public static IResourceBuilder<T> WithProfile<T>(this IResourceBuilder<T> builder, string profile)
        where T : IResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Resource.Compose().Profile = profile;
        var layout = builder.ApplicationBuilder.GetStack().Layout;
        if (layout.Run != StackRun.Compose && !layout.Profiles.Contains(profile) && builder.Resource.IsPresent())
        {
            builder.Resource.Annotations.Add(new MissingPartAnnotation($"{builder.Resource.Name}: switched off (Stack:Profiles)"));
            builder.ApplicationBuilder.Resources.Remove(builder.Resource);
        }

        return builder;
    }

    /// <summary>How its image checks its health in the compose project.</summary>
    public static IResourceBuilder<T> WithContainerHealthCheck<T>(this IResourceBuilder<T> builder, ContainerHealthCheck check)
        where T : IResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Resource.Compose().HealthCheck = check;
        return builder;
    }

    /// <summary>Changes its compose service (host mounts, privileges, a user) after the model's own settings.</summary>
    public static IResourceBuilder<T> PublishAsComposeService<T>(this IResourceBuilder<T> builder, Action<ComposeService> customize)
        where T : IResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Resource.Compose().Customize.Add(customize);
        return builder;
    }

    /// <summary>The resource's compose annotation (every part and the probe have one).</summary>
    public static ComposeServiceAnnotation Compose(this IResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return resource.Annotations.OfType<ComposeServiceAnnotation>().SingleOrDefault()
            ?? throw new InvalidOperationException($"{resource.Name} has no image for the compose project");
    }
}
