namespace InternetMonitor.AppHost.Publishing;

/// <summary>
/// One service of the compose project, as the compose file writes it; what the model does not say (host mounts,
/// privileges, a user) a resource adds through <c>PublishAsComposeService</c>.
/// </summary>
public sealed class ComposeService
{
    public string? Image { get; set; }

    /// <summary>The build context's folder and the build arguments, for an image built from this project.</summary>
    public (string Context, Dictionary<string, string> Args)? Build { get; set; }

    public List<string> Profiles { get; } = [];

    /// <summary>Every part shares the host's network: the probe measures the host's connection, and the parts reach each other on loopback.</summary>
    public string NetworkMode { get; set; } = "host";

    public string? Pid { get; set; }

    public string? User { get; set; }

    public string Restart { get; set; } = "unless-stopped";

    public bool Privileged { get; set; }

    public bool ReadOnly { get; set; }

    public List<string> CapDrop { get; } = [];

    public List<string> CapAdd { get; } = [];

    public List<string> SecurityOpt { get; } = [];

    public List<string> Tmpfs { get; } = [];

    public List<string> Devices { get; } = [];

    public List<string> Command { get; } = [];

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>Its labels; <c>internet-monitor.configuration</c> holds a digest of what it mounts, so that a change recreates it.</summary>
    public Dictionary<string, string> Labels { get; } = new(StringComparer.Ordinal);

    public List<string> Volumes { get; } = [];

    public List<string>? HealthCheck { get; set; }

    /// <summary>Services started first, each once its health check passes.</summary>
    public List<string> DependsOn { get; } = [];

    /// <summary>The compose file's mapping for this service, keys in the order a reader expects.</summary>
    public Dictionary<string, object> ToYaml()
    {
        var yaml = new Dictionary<string, object>(StringComparer.Ordinal);
        if (Image is not null)
        {
            yaml["image"] = Image;
        }

        if (Build is { } build)
        {
            yaml["build"] = new Dictionary<string, object> { ["context"] = build.Context, ["args"] = build.Args };
        }

        Add(yaml, "profiles", Profiles);
        yaml["network_mode"] = NetworkMode;
        if (Pid is not null)
        {
            yaml["pid"] = Pid;
        }

        if (User is not null)
        {
            yaml["user"] = User;
        }

        yaml["restart"] = Restart;
        if (Privileged)
        {
            yaml["privileged"] = true;
        }

        if (ReadOnly)
        {
            yaml["read_only"] = true;
        }

        Add(yaml, "cap_drop", CapDrop);
        Add(yaml, "cap_add", CapAdd);
        Add(yaml, "security_opt", SecurityOpt);
        Add(yaml, "tmpfs", Tmpfs);
        Add(yaml, "devices", Devices);
        Add(yaml, "command", Command);
        if (Environment.Count > 0)
        {
            yaml["environment"] = Environment;
        }

        Add(yaml, "volumes", Volumes);
        if (Labels.Count > 0)
        {
            yaml["labels"] = Labels;
        }

        if (HealthCheck is not null)
        {
            yaml["healthcheck"] = new Dictionary<string, object>
            {
                ["test"] = HealthCheck,
                ["interval"] = "10s",
                ["timeout"] = "5s",
                ["retries"] = 3,
                ["start_period"] = "30s",
            };
        }

        if (DependsOn.Count > 0)
        {
            yaml["depends_on"] = DependsOn.ToDictionary(name => name, _ => (object)new Dictionary<string, string> { ["condition"] = "service_healthy" });
        }

        // Logs rotate: a Raspberry Pi's SD card is not filled by a year of them.
        yaml["logging"] = new Dictionary<string, object>
        {
            ["driver"] = "json-file",
            ["options"] = new Dictionary<string, string> { ["max-size"] = "10m", ["max-file"] = "3" },
        };
        return yaml;
    }

    private static void Add(Dictionary<string, object> yaml, string key, List<string> values)
    {
        if (values.Count > 0)
        {
            yaml[key] = values;
        }
    }
}
