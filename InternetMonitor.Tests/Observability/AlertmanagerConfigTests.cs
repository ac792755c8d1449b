using InternetMonitor.AppHost.Integrations.Alertmanager;
using InternetMonitor.AppHost.Rendering;
using InternetMonitor.Lab;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Observability;

/// <summary>
/// observability/alertmanager/ checked by Debian's amtool: the shipped file, its routes, and the configuration the
/// AppHost renders from the Alerting settings (receivers, secrets in owner-only files, one clear error per bad value).
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class AlertmanagerConfigTests
{
    private static readonly string Folder = Repository.PathOf("observability", "alertmanager");
    private static readonly string Shipped = Path.Combine(Folder, "alertmanager.yml");

    private const string SlackUrl = "https://hooks.slack.test/services/T000/B000/secret-slack-path";
    private const string TelegramToken = "123456:secret-telegram-token";
    private const string SmtpPassword = "secret-smtp-password";
    private const string NtfyToken = "tk_secretntfytoken";
    private const string WebhookToken = "secret-webhook-token";

    private static readonly Dictionary<string, string> Environment = new(StringComparer.Ordinal)
    {
        [SlackReceiverOptions.WebhookUrlVariable] = SlackUrl,
        [TelegramReceiverOptions.BotTokenVariable] = TelegramToken,
        [EmailReceiverOptions.PasswordVariable] = SmtpPassword,
        [NtfyReceiverOptions.TokenVariable] = NtfyToken,
        [WebhookReceiverOptions.BearerTokenVariable] = WebhookToken,
    };

    [Fact]
    public async Task The_shipped_configuration_passes_amtool_check_config()
    {
        var amtool = Prerequisite.RequireProgram("amtool", "prometheus-alertmanager");

        var result = await Command.TryRunAsync(amtool, "check-config", Shipped);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("5 inhibit rules", result.Output, StringComparison.Ordinal);
        Assert.Contains("1 templates", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alert-log", "alertname=Bufferbloat", "severity=info")]
    [InlineData("alert-log", "alertname=DataBudgetSpent", "severity=info")]
    [InlineData("notify", "alertname=InternetDown", "severity=critical")]
    [InlineData("notify", "alertname=ProbeDown", "severity=critical")]
    [InlineData("notify", "alertname=HighLatency", "severity=warning", "target=cloudflare")]
    [InlineData("notify", "alertname=SomethingUserDefined")]
    public async Task Each_severity_is_routed_to_its_receiver(string receiver, params string[] labels)
    {
        var amtool = Prerequisite.RequireProgram("amtool", "prometheus-alertmanager");

        var result = await Command.TryRunAsync(amtool, ["config", "routes", "test", $"--config.file={Shipped}", $"--verify.receivers={receiver}", .. labels]);

        Assert.True(result.ExitCode == 0, $"{string.Join(' ', labels)}: {result.Output}{result.Error}");
        Assert.Equal(receiver, result.Output.Trim());
    }

    [Fact]
    public async Task Every_receiver_switched_on_renders_a_configuration_amtool_accepts_with_the_secrets_in_owner_only_files()
    {
        var amtool = Prerequisite.RequireProgram("amtool", "prometheus-alertmanager");
        var output = Directory.CreateTempSubdirectory("im-render-").FullName;
        try
        {
            var errors = ObservabilityRenderer.Render(Repository.PathOf("observability"), output, AllReceivers(), new(AlertmanagerTarget.Debian12, Path.Combine(output, "alertmanager")), Secrets());

            Assert.Empty(errors);
            var config = Path.Combine(output, "alertmanager", "alertmanager.yml");
            var check = await Command.TryRunAsync(amtool, "check-config", config);
            Assert.True(check.ExitCode == 0, check.Output + check.Error);
            var yaml = await File.ReadAllTextAsync(config, TestContext.Current.CancellationToken);
            foreach (var kind in (string[])["email_configs", "slack_configs", "telegram_configs", "webhook_configs", "smtp_auth_password_file", "api_url_file", "credentials_file"])
            {
                Assert.Contains(kind, yaml, StringComparison.Ordinal);
            }

            // Alertmanager 0.25 reads the Telegram token from the configuration alone: the file is then owner-only too.
            Assert.Contains($"bot_token: {TelegramToken}", yaml, StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(config));
            foreach (var secret in Environment.Values.Where(secret => secret != TelegramToken))
            {
                Assert.DoesNotContain(secret, yaml, StringComparison.Ordinal);
            }

            var secrets = Directory.GetFiles(Path.Combine(output, "alertmanager", "secrets")).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(["alert-log-token", "ntfy-token", "slack-webhook-url", "smtp-password", "webhook-token"], secrets.Select(Path.GetFileName));
            Assert.All(secrets, file => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file)));
            Assert.Equal(SlackUrl + "\n", await File.ReadAllTextAsync(Path.Combine(output, "alertmanager", "secrets", "slack-webhook-url"), TestContext.Current.CancellationToken));
            Assert.True(File.Exists(Path.Combine(output, "prometheus", "rules", "alerts.yml")), "the rest of observability/ is copied beside it");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public void For_alertmanager_0_26_and_later_no_secret_is_left_in_the_configuration()
    {
        // amtool 0.25 (Debian 12's) does not know bot_token_file, so this rendering is checked from its text alone.
        var rendering = AlertmanagerConfigRenderer.Render(File.ReadAllText(Shipped), AllReceivers(), new(new Version(0, 28, 1), "/etc/alertmanager"), Secrets());

        Assert.True(rendering.Succeeded, string.Join("; ", rendering.Errors));
        Assert.False(rendering.HoldsSecret);
        Assert.Contains("bot_token_file: /etc/alertmanager/secrets/telegram-bot-token", rendering.Yaml, StringComparison.Ordinal);
        Assert.All(Environment.Values, secret => Assert.DoesNotContain(secret, rendering.Yaml, StringComparison.Ordinal));
        Assert.Equal(TelegramToken, rendering.SecretFiles["secrets/telegram-bot-token"]);
        Assert.Equal(["alert-log", "email", "slack", "telegram", "ntfy", "webhook"], rendering.Integrations);
    }

    [Fact]
    public async Task With_no_receiver_switched_on_the_rendering_equals_the_shipped_routes_and_points_at_the_probe()
    {
        var amtool = Prerequisite.RequireProgram("amtool", "prometheus-alertmanager");
        var options = new AlertingOptions { AlertLogUrl = new Uri("http://probe:8000/api/alerts") };

        var rendering = AlertmanagerConfigRenderer.Render(await File.ReadAllTextAsync(Shipped, TestContext.Current.CancellationToken), options, new(AlertmanagerTarget.Debian12, "/etc/alertmanager"), new SecretReader(_ => null));

        Assert.True(rendering.Succeeded, string.Join("; ", rendering.Errors));
        Assert.Equal(["alert-log"], rendering.Integrations);
        Assert.Empty(rendering.SecretFiles);
        Assert.False(rendering.HoldsSecret);
        Assert.Equal(2, rendering.Yaml.Split("url: http://probe:8000/api/alerts").Length - 1);
        var file = Path.Combine(Directory.CreateTempSubdirectory("im-render-").FullName, "alertmanager.yml");
        try
        {
            await File.WriteAllTextAsync(file, rendering.Yaml, TestContext.Current.CancellationToken);
            Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(file)!, "templates"));
            var routes = await Command.TryRunAsync(amtool, "config", "routes", "test", $"--config.file={file}", "--verify.receivers=alert-log", "severity=info");
            Assert.True(routes.ExitCode == 0, routes.Output + routes.Error);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "Email:To", "not-an-address", "Alerting:Email:To must be one or more email addresses" },
        { "Email:From", "", "Alerting:Email:From must be the sender's email address" },
        { "Email:SmartHost", "smtp.example.org", "Alerting:Email:SmartHost must be host:port" },
        { "Email:PasswordFile", "/nonexistent/smtp-password", "Alerting:Email:PasswordFile names /nonexistent/smtp-password, which cannot be read" },
        { "Telegram:ChatId", "0", "Alerting:Telegram:ChatId must be the chat's id" },
        { "Ntfy:TopicUrl", "https://ntfy.sh/", "Alerting:Ntfy:TopicUrl must name the topic" },
        { "Ntfy:Priority", "9", "Alerting:Ntfy:Priority must be between 1 and 5 (got 9)" },
        { "Webhook:Url", "ftp://example.org/hook", "Alerting:Webhook:Url must be an absolute http or https URL" },
        { "AlertLogUrl", "file:///tmp/alerts", "Alerting:AlertLogUrl must be an absolute http or https URL" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void A_bad_setting_is_one_clear_error_naming_its_key(string key, string value, string expected)
    {
        var options = AllReceivers();
        Set(options, key, value);

        var rendering = AlertmanagerConfigRenderer.Render(File.ReadAllText(Shipped), options, new(AlertmanagerTarget.Debian12, "/etc/alertmanager"), Secrets());

        Assert.False(rendering.Succeeded);
        var error = Assert.Single(rendering.Errors);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_receiver_switched_on_without_its_secret_says_where_to_put_it_and_a_bad_secret_is_never_repeated()
    {
        var options = AllReceivers();
        var noSecrets = new SecretReader(name => name == SlackReceiverOptions.WebhookUrlVariable ? "not a url " + SlackUrl : null);

        var rendering = AlertmanagerConfigRenderer.Render(File.ReadAllText(Shipped), options, new(AlertmanagerTarget.Debian12, "/etc/alertmanager"), noSecrets);

        Assert.Contains(rendering.Errors, error => error.StartsWith("the Slack webhook URL (Alerting:Slack:WebhookUrlFile or INTERNET_MONITOR_SLACK_WEBHOOK_URL) must be", StringComparison.Ordinal));
        Assert.Contains("Alerting:Telegram:Enabled is true but there is no bot token: set Alerting:Telegram:BotTokenFile or INTERNET_MONITOR_TELEGRAM_BOT_TOKEN", rendering.Errors);
        Assert.Contains("Alerting:Email:Username is set, so a password is needed: Alerting:Email:PasswordFile or INTERNET_MONITOR_SMTP_PASSWORD", rendering.Errors);
        Assert.All(rendering.Errors, error => Assert.DoesNotContain("secret", error, StringComparison.Ordinal));
    }

    [Fact]
    public void A_variable_set_to_blanks_is_no_secret_at_all()
    {
        var options = new AlertingOptions { Ntfy = { Enabled = true, TopicUrl = new Uri("https://ntfy.example.test/alerts") } };

        var rendering = AlertmanagerConfigRenderer.Render(File.ReadAllText(Shipped), options, new(AlertmanagerTarget.Debian12, "/etc/alertmanager"), new SecretReader(_ => "   "));

        Assert.True(rendering.Succeeded, string.Join("; ", rendering.Errors));
        Assert.Empty(rendering.SecretFiles);
        Assert.DoesNotContain("credentials_file", rendering.Yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void What_the_shipped_file_already_holds_is_kept_and_the_settings_win_over_it()
    {
        var shipped = File.ReadAllText(Shipped)
            .Replace("global:\n", "global:\n  smtp_from: old@example.test\n", StringComparison.Ordinal)
            .Replace("""
              - name: alert-log
                webhook_configs:
            """, """
              - name: alert-log
                webhook_configs:
                  - url: http://archive.example.test/hook
            """, StringComparison.Ordinal);
        var options = AllReceivers();

        var rendering = AlertmanagerConfigRenderer.Render(shipped, options, new(AlertmanagerTarget.Debian12, "/etc/alertmanager"), Secrets());

        Assert.True(rendering.Succeeded, string.Join("; ", rendering.Errors));
        Assert.Contains("smtp_from: monitor@example.test", rendering.Yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("old@example.test", rendering.Yaml, StringComparison.Ordinal);
        Assert.Contains("url: http://archive.example.test/hook", rendering.Yaml, StringComparison.Ordinal);
        Assert.Equal(2, rendering.Yaml.Split("url: http://127.0.0.1:8000/api/alerts").Length - 1);
    }

    [Fact]
    public async Task A_secret_may_come_from_a_file_named_in_the_settings()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, SlackUrl + "\n", TestContext.Current.CancellationToken);
            var options = new AlertingOptions { Slack = { Enabled = true, WebhookUrlFile = file } };

            var rendering = AlertmanagerConfigRenderer.Render(await File.ReadAllTextAsync(Shipped, TestContext.Current.CancellationToken), options, new(AlertmanagerTarget.Debian12, "/etc/alertmanager"), new SecretReader(_ => null));

            Assert.True(rendering.Succeeded, string.Join("; ", rendering.Errors));
            Assert.Equal(SlackUrl, rendering.SecretFiles["secrets/slack-webhook-url"]);
            Assert.Contains("api_url_file: /etc/alertmanager/secrets/slack-webhook-url", rendering.Yaml, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Every receiver switched on, pointing at <paramref name="local"/> when given (the live test's sinks).</summary>
    internal static AlertingOptions AllReceivers(Uri? local = null, int smtpPort = 25) => new()
    {
        AlertLogUrl = new Uri(local ?? new Uri("http://127.0.0.1:8000/"), "/api/alerts"),
        Email = { Enabled = true, To = "home@example.test", From = "monitor@example.test", SmartHost = $"127.0.0.1:{smtpPort}", Username = "monitor", RequireTls = false },
        Slack = { Enabled = true, Channel = "#internet" },
        Telegram = { Enabled = true, ChatId = -1001234, ApiUrl = local ?? new Uri("https://api.telegram.org") },
        Ntfy = { Enabled = true, TopicUrl = new Uri(local ?? new Uri("https://ntfy.sh/"), "/internet-alerts"), Priority = 5 },
        Webhook = { Enabled = true, Url = new Uri(local ?? new Uri("https://hooks.example.test/"), "/hook") },
    };

    internal static SecretReader Secrets(string? slackUrl = null) =>
        new(name => name == SlackReceiverOptions.WebhookUrlVariable && slackUrl is not null ? slackUrl
            : name == AlertingOptions.AlertLogTokenVariable ? "alert-log-token-value"
            : Environment.GetValueOrDefault(name));

    private static void Set(AlertingOptions options, string key, string value)
    {
        switch (key)
        {
            case "Email:To": options.Email.To = value; break;
            case "Email:From": options.Email.From = value; break;
            case "Email:SmartHost": options.Email.SmartHost = value; break;
            case "Email:PasswordFile": options.Email.PasswordFile = value; break;
            case "Telegram:ChatId": options.Telegram.ChatId = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "Ntfy:TopicUrl": options.Ntfy.TopicUrl = new Uri(value); break;
            case "Ntfy:Priority": options.Ntfy.Priority = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "Webhook:Url": options.Webhook.Url = new Uri(value); break;
            case "AlertLogUrl": options.AlertLogUrl = new Uri(value); break;
            default: throw new ArgumentOutOfRangeException(nameof(key), key, "no such setting in this test");
        }
    }
}
