namespace InternetMonitor.AppHost.Integrations.Alertmanager;

/// <summary>
/// Bound from <c>Alerting</c>: where Alertmanager sends notifications. The probe's alert log always receives them;
/// each other receiver is switched on by its <c>Enabled</c> flag. Secrets are never settings of their own: each is
/// read from a file named by a <c>...File</c> key or from an environment variable, so no secret sits in a
/// committed settings file.
/// </summary>
public sealed class AlertingOptions
{
    public const string Section = "Alerting";

    /// <summary>The probe's webhook, <c>/api/alerts</c> on the probe.</summary>
    public Uri AlertLogUrl { get; set; } = new("http://127.0.0.1:8000/api/alerts");

    /// <summary>A file holding the token the probe expects (its <c>Monitor:AlertLog:Token</c>), or <see cref="AlertLogTokenVariable"/>.</summary>
    public string AlertLogTokenFile { get; set; } = string.Empty;

    public const string AlertLogTokenVariable = "INTERNET_MONITOR_ALERT_LOG_TOKEN";

    public EmailReceiverOptions Email { get; set; } = new();

    public SlackReceiverOptions Slack { get; set; } = new();

    public TelegramReceiverOptions Telegram { get; set; } = new();

    public NtfyReceiverOptions Ntfy { get; set; } = new();

    public WebhookReceiverOptions Webhook { get; set; } = new();

    /// <summary>These settings with the alert log at <paramref name="alertLogUrl"/> (the probe's address in this run).</summary>
    public AlertingOptions With(Uri alertLogUrl) => new()
    {
        AlertLogUrl = alertLogUrl,
        AlertLogTokenFile = AlertLogTokenFile,
        Email = Email,
        Slack = Slack,
        Telegram = Telegram,
        Ntfy = Ntfy,
        Webhook = Webhook,
    };
}

/// <summary>Email through an SMTP server (a provider's submission port, 587 with STARTTLS, or a relay on the network).</summary>
public sealed class EmailReceiverOptions
{
    public const string PasswordVariable = "INTERNET_MONITOR_SMTP_PASSWORD";

    public bool Enabled { get; set; }

    /// <summary>One address or several separated by commas.</summary>
    public string To { get; set; } = string.Empty;

    public string From { get; set; } = string.Empty;

    /// <summary>host:port of the SMTP server.</summary>
    public string SmartHost { get; set; } = string.Empty;

    /// <summary>Empty for a server that takes mail without logging in.</summary>
    public string Username { get; set; } = string.Empty;

    /// <summary>A file holding the SMTP password, or <see cref="PasswordVariable"/>.</summary>
    public string PasswordFile { get; set; } = string.Empty;

    public bool RequireTls { get; set; } = true;
}

/// <summary>A Slack incoming webhook.</summary>
public sealed class SlackReceiverOptions
{
    public const string WebhookUrlVariable = "INTERNET_MONITOR_SLACK_WEBHOOK_URL";

    public bool Enabled { get; set; }

    /// <summary>A file holding the webhook URL (https://hooks.slack.com/services/...), or <see cref="WebhookUrlVariable"/>.</summary>
    public string WebhookUrlFile { get; set; } = string.Empty;

    /// <summary>Overrides the webhook's own channel when set, e.g. <c>#internet</c>.</summary>
    public string Channel { get; set; } = string.Empty;
}

/// <summary>A Telegram bot writing to a chat.</summary>
public sealed class TelegramReceiverOptions
{
    public const string BotTokenVariable = "INTERNET_MONITOR_TELEGRAM_BOT_TOKEN";

    public bool Enabled { get; set; }

    /// <summary>A file holding the bot token from @BotFather, or <see cref="BotTokenVariable"/>.</summary>
    public string BotTokenFile { get; set; } = string.Empty;

    /// <summary>The chat's id (negative for a group).</summary>
    public long ChatId { get; set; }

    /// <summary>The Bot API server; a self-hosted one may stand in for Telegram's.</summary>
    public Uri ApiUrl { get; set; } = new("https://api.telegram.org");
}

/// <summary>An ntfy topic (ntfy.sh or a self-hosted server, 2.10 or later for message templates).</summary>
public sealed class NtfyReceiverOptions
{
    public const string TokenVariable = "INTERNET_MONITOR_NTFY_TOKEN";

    public bool Enabled { get; set; }

    /// <summary>The topic's URL, e.g. https://ntfy.sh/my-internet-alerts.</summary>
    public Uri? TopicUrl { get; set; }

    /// <summary>A file holding an access token for a protected topic, or <see cref="TokenVariable"/>; empty for an open topic.</summary>
    public string TokenFile { get; set; } = string.Empty;

    /// <summary>ntfy's priority, 1 (min) to 5 (urgent).</summary>
    public int Priority { get; set; } = 4;
}

/// <summary>Any service that takes Alertmanager's webhook JSON.</summary>
public sealed class WebhookReceiverOptions
{
    public const string BearerTokenVariable = "INTERNET_MONITOR_WEBHOOK_TOKEN";

    public bool Enabled { get; set; }

    public Uri? Url { get; set; }

    /// <summary>A file holding a bearer token the service expects, or <see cref="BearerTokenVariable"/>; empty for none.</summary>
    public string BearerTokenFile { get; set; } = string.Empty;
}
