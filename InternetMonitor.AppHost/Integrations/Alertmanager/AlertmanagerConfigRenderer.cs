using System.Globalization;
using InternetMonitor.AppHost.Rendering;
using Microsoft.Extensions.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using static InternetMonitor.AppHost.Rendering.YamlFile;

namespace InternetMonitor.AppHost.Integrations.Alertmanager;

/// <summary>
/// Renders observability/alertmanager/alertmanager.yml for one stack: points the alert log's webhook at the probe
/// and adds each receiver switched on in <see cref="AlertingOptions"/> to the <c>notify</c> receiver, every one
/// with the same title and text (templates/internet-monitor.tmpl). Secrets go to files of their own, named by the
/// configuration where this Alertmanager version can read them from a file; no secret is ever in an error.
/// </summary>
public static class AlertmanagerConfigRenderer
{
    public const string AlertLogReceiver = "alert-log";
    public const string NotifyReceiver = "notify";
    private const string SecretsFolder = "secrets";
    private const string Title = "{{ template \"internet_monitor.title\" . }}";
    private const string Text = "{{ template \"internet_monitor.text\" . }}";

    /// <summary>
    /// Renders <paramref name="baseYaml"/>; without <paramref name="alertLog"/> (a central store, which has no probe) the
    /// alert log's webhooks are dropped instead, its receiver left one that keeps alerts in Alertmanager alone.
    /// </summary>
    public static AlertmanagerRendering Render(string baseYaml, AlertingOptions options, AlertmanagerTarget target, SecretReader secrets, bool alertLog = true)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(secrets);
        var stream = new YamlStream();
        stream.Load(new StringReader(baseYaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var context = new Context(target, secrets);
        if (!alertLog)
        {
            context.Integrations.Remove(AlertLogReceiver);
        }

        var alertLogToken = alertLog ? secrets.Read(Key("AlertLogTokenFile"), options.AlertLogTokenFile, AlertingOptions.AlertLogTokenVariable, context.Errors) : null;
        var alertLogUrl = alertLog ? context.HttpUrl(Key("AlertLogUrl"), options.AlertLogUrl) : null;
        var notify = new List<(string Kind, YamlMappingNode Config)>();
        if (options.Email.Enabled && Email(options.Email, context, root) is { } email)
        {
            notify.Add(("email_configs", email));
        }

        if (options.Slack.Enabled && Slack(options.Slack, context) is { } slack)
        {
            notify.Add(("slack_configs", slack));
        }

        if (options.Telegram.Enabled && Telegram(options.Telegram, context) is { } telegram)
        {
            notify.Add(("telegram_configs", telegram));
        }

        if (options.Ntfy.Enabled && Ntfy(options.Ntfy, context) is { } ntfy)
        {
            notify.Add(("webhook_configs", ntfy));
        }

        if (options.Webhook.Enabled && Webhook(options.Webhook, context) is { } webhook)
        {
            notify.Add(("webhook_configs", webhook));
        }

        if (context.Errors.Count > 0)
        {
            return new(string.Empty, false, context.SecretFiles, [], context.Errors);
        }

        var receivers = (YamlSequenceNode)root.Children[new YamlScalarNode("receivers")];
        foreach (var receiver in receivers.Children.Cast<YamlMappingNode>())
        {
            var name = ((YamlScalarNode)receiver.Children[new YamlScalarNode("name")]).Value;
            if (name is not (AlertLogReceiver or NotifyReceiver))
            {
                continue;
            }

            // The alert log's entry (the one posting to /api/alerts) is pointed at the probe; any other is left as it is.
            var configs = Sequence(receiver, "webhook_configs");
            var index = configs.Children.ToList().FindIndex(config => config is YamlMappingNode map
                && map.Children.TryGetValue(new YamlScalarNode("url"), out var url) && ((YamlScalarNode)url).Value?.EndsWith("/api/alerts", StringComparison.Ordinal) == true);
            if (alertLogUrl is null)
            {
                if (index >= 0)
                {
                    configs.Children.RemoveAt(index);
                }

                if (configs.Children.Count == 0)
                {
                    receiver.Children.Remove(new YamlScalarNode("webhook_configs"));
                }
            }
            else
            {
                var alertLogWebhook = WebhookConfig(alertLogUrl.AbsoluteUri, alertLogToken is null ? null : context.SecretFile("alert-log-token", alertLogToken));
                if (index >= 0)
                {
                    configs.Children[index] = alertLogWebhook;
                }
                else
                {
                    configs.Children.Insert(0, alertLogWebhook);
                }
            }

            if (name == NotifyReceiver)
            {
                foreach (var (kind, config) in notify)
                {
                    Sequence(receiver, kind).Add(config);
                }
            }
        }

        var yaml = YamlFile.Save(stream, "Rendered by the AppHost from observability/alertmanager/alertmanager.yml and the Alerting settings: edit those, not this file.");
        return new(yaml, context.ConfigHoldsSecret, context.SecretFiles, context.Integrations, []);
    }

    private static string Key(string name) => ConfigurationPath.Combine(AlertingOptions.Section, name);

    private static YamlMappingNode? Email(EmailReceiverOptions email, Context context, YamlMappingNode root)
    {
        const string section = "Email";
        var recipients = email.To.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (recipients.Length == 0 || recipients.Any(address => !LooksLikeAddress(address)))
        {
            context.Errors.Add($"{Key(section, "To")} must be one or more email addresses separated by commas (got \"{email.To}\")");
        }

        if (!LooksLikeAddress(email.From))
        {
            context.Errors.Add($"{Key(section, "From")} must be the sender's email address (got \"{email.From}\")");
        }

        var colon = email.SmartHost.LastIndexOf(':');
        if (colon < 1 || !int.TryParse(email.SmartHost[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            context.Errors.Add($"{Key(section, "SmartHost")} must be host:port of the SMTP server, e.g. smtp.example.org:587 (got \"{email.SmartHost}\")");
        }

        var password = context.Secrets.Read(Key(section, "PasswordFile"), email.PasswordFile, EmailReceiverOptions.PasswordVariable, context.Errors);
        if (email.Username.Length > 0 && password is null && string.IsNullOrWhiteSpace(email.PasswordFile))
        {
            context.Errors.Add($"{Key(section, "Username")} is set, so a password is needed: {Key(section, "PasswordFile")} or {EmailReceiverOptions.PasswordVariable}");
        }

        var global = root.Children.TryGetValue(new YamlScalarNode("global"), out var node) ? (YamlMappingNode)node : new YamlMappingNode();
        root.Children[new YamlScalarNode("global")] = global;
        // Set, not added: the settings win over any smtp_ key already in the shipped file.
        global.Children[new YamlScalarNode("smtp_smarthost")] = new YamlScalarNode(email.SmartHost);
        global.Children[new YamlScalarNode("smtp_from")] = new YamlScalarNode(email.From);
        global.Children[new YamlScalarNode("smtp_require_tls")] = new YamlScalarNode(email.RequireTls ? "true" : "false");
        if (email.Username.Length > 0 && password is not null)
        {
            global.Children[new YamlScalarNode("smtp_auth_username")] = new YamlScalarNode(email.Username);
            global.Children[new YamlScalarNode("smtp_auth_password_file")] = new YamlScalarNode(context.SecretFile("smtp-password", password));
        }

        context.Integrations.Add("email");
        return new YamlMappingNode(
            Pair("to", string.Join(", ", recipients)),
            Pair("send_resolved", "true"),
            new(new YamlScalarNode("headers"), new YamlMappingNode(Pair("Subject", Title, ScalarStyle.SingleQuoted))),
            Pair("text", Text, ScalarStyle.SingleQuoted),
            Pair("html", string.Empty, ScalarStyle.SingleQuoted));
    }

    private static YamlMappingNode? Slack(SlackReceiverOptions slack, Context context)
    {
        const string section = "Slack";
        var url = context.Secrets.Read(Key(section, "WebhookUrlFile"), slack.WebhookUrlFile, SlackReceiverOptions.WebhookUrlVariable, context.Errors);
        if (url is null)
        {
            context.Errors.Add($"{Key(section, "Enabled")} is true but there is no webhook URL: set {Key(section, "WebhookUrlFile")} or {SlackReceiverOptions.WebhookUrlVariable}");
            return null;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var slackUrl) || !IsHttp(slackUrl))
        {
            // The URL is the secret: say what is wrong with it without repeating it.
            context.Errors.Add($"the Slack webhook URL ({Key(section, "WebhookUrlFile")} or {SlackReceiverOptions.WebhookUrlVariable}) must be an absolute http or https URL");
            return null;
        }

        context.Integrations.Add("slack");
        var config = new YamlMappingNode(
            Pair("api_url_file", context.SecretFile("slack-webhook-url", url)),
            Pair("send_resolved", "true"),
            Pair("title", Title, ScalarStyle.SingleQuoted),
            Pair("text", Text, ScalarStyle.SingleQuoted));
        if (slack.Channel.Length > 0)
        {
            config.Add("channel", slack.Channel);
        }

        return config;
    }

    private static YamlMappingNode? Telegram(TelegramReceiverOptions telegram, Context context)
    {
        const string section = "Telegram";
        var token = context.Secrets.Read(Key(section, "BotTokenFile"), telegram.BotTokenFile, TelegramReceiverOptions.BotTokenVariable, context.Errors);
        if (token is null)
        {
            context.Errors.Add($"{Key(section, "Enabled")} is true but there is no bot token: set {Key(section, "BotTokenFile")} or {TelegramReceiverOptions.BotTokenVariable}");
        }
        else if (token.Any(char.IsWhiteSpace) || !token.Contains(':', StringComparison.Ordinal))
        {
            context.Errors.Add($"the Telegram bot token ({Key(section, "BotTokenFile")} or {TelegramReceiverOptions.BotTokenVariable}) must look like 123456:ABC..., as @BotFather gives it");
        }

        if (telegram.ChatId == 0)
        {
            context.Errors.Add($"{Key(section, "ChatId")} must be the chat's id (a group's is negative)");
        }

        var api = context.HttpUrl(Key(section, "ApiUrl"), telegram.ApiUrl);
        if (token is null || api is null || context.Errors.Count > 0)
        {
            return null;
        }

        context.Integrations.Add("telegram");
        var config = new YamlMappingNode(
            Pair("api_url", api.AbsoluteUri.TrimEnd('/')),
            Pair("chat_id", telegram.ChatId.ToString(CultureInfo.InvariantCulture)),
            Pair("send_resolved", "true"),
            Pair("parse_mode", string.Empty, ScalarStyle.SingleQuoted),
            Pair("message", Title + "\n\n" + Text, ScalarStyle.DoubleQuoted));
        // Alertmanager before 0.26 reads the bot token only from the configuration itself, which is then
        // written with owner-only permissions like the secret files.
        if (context.Target.ReadsTelegramTokenFromFile)
        {
            config.Add("bot_token_file", context.SecretFile("telegram-bot-token", token));
        }
        else
        {
            config.Add("bot_token", token);
            context.ConfigHoldsSecret = true;
        }

        return config;
    }

    private static YamlMappingNode? Ntfy(NtfyReceiverOptions ntfy, Context context)
    {
        const string section = "Ntfy";
        // An open topic's URL is all it takes to read or post there: it is never repeated in a message.
        var topic = context.HttpUrl(Key(section, "TopicUrl"), ntfy.TopicUrl, repeat: false);
        if (topic is not null && topic.AbsolutePath.Trim('/').Length == 0)
        {
            context.Errors.Add($"{Key(section, "TopicUrl")} must name the topic, e.g. https://ntfy.sh/my-internet-alerts");
            topic = null;
        }

        if (ntfy.Priority is < 1 or > 5)
        {
            context.Errors.Add(string.Create(CultureInfo.InvariantCulture, $"{Key(section, "Priority")} must be between 1 and 5 (got {ntfy.Priority})"));
        }

        var token = context.Secrets.Read(Key(section, "TokenFile"), ntfy.TokenFile, NtfyReceiverOptions.TokenVariable, context.Errors);
        if (topic is null || ntfy.Priority is < 1 or > 5)
        {
            return null;
        }

        // ntfy (2.10 and later) fills the title and message from Alertmanager's JSON body with these templates.
        var query = string.Join('&',
            "tpl=1",
            "t=" + Uri.EscapeDataString("{{.status}}: {{.commonLabels.alertname}}"),
            "m=" + Uri.EscapeDataString("{{range .alerts}}{{.status}}: {{.annotations.summary}}\n{{end}}"),
            "p=" + ntfy.Priority.ToString(CultureInfo.InvariantCulture));
        var url = new UriBuilder(topic) { Query = query }.Uri.AbsoluteUri;
        context.Integrations.Add("ntfy");
        return WebhookConfig(url, token is null ? null : context.SecretFile("ntfy-token", token));
    }

    private static YamlMappingNode? Webhook(WebhookReceiverOptions webhook, Context context)
    {
        const string section = "Webhook";
        // A webhook's URL may carry its own credential (Discord, Teams): it is never repeated in a message.
        var url = context.HttpUrl(Key(section, "Url"), webhook.Url, repeat: false);
        var token = context.Secrets.Read(Key(section, "BearerTokenFile"), webhook.BearerTokenFile, WebhookReceiverOptions.BearerTokenVariable, context.Errors);
        if (url is null)
        {
            return null;
        }

        context.Integrations.Add("webhook");
        return WebhookConfig(url.AbsoluteUri, token is null ? null : context.SecretFile("webhook-token", token));
    }

    private static YamlMappingNode WebhookConfig(string url, string? credentialsFile)
    {
        var config = new YamlMappingNode(Pair("url", url), Pair("send_resolved", "true"));
        if (credentialsFile is not null)
        {
            config.Add("http_config", new YamlMappingNode(
                new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode("authorization"), new YamlMappingNode(Pair("credentials_file", credentialsFile)))));
        }

        return config;
    }

    private static YamlSequenceNode Sequence(YamlMappingNode map, string key)
    {
        if (map.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            return (YamlSequenceNode)node;
        }

        var sequence = new YamlSequenceNode();
        map.Add(key, sequence);
        return sequence;
    }

    private static string Key(string section, string name) => ConfigurationPath.Combine(AlertingOptions.Section, section, name);

    private static bool LooksLikeAddress(string address) =>
        address.IndexOf('@', StringComparison.Ordinal) is > 0 and var at && at < address.Length - 1 && !address.Any(char.IsWhiteSpace);

    private static bool IsHttp(Uri? uri) => uri is { IsAbsoluteUri: true } && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private sealed class Context(AlertmanagerTarget target, SecretReader secrets)
    {
        public AlertmanagerTarget Target { get; } = target;

        public SecretReader Secrets { get; } = secrets;

        public List<string> Errors { get; } = [];

        public List<string> Integrations { get; } = ["alert-log"];

        public Dictionary<string, string> SecretFiles { get; } = [];

        public bool ConfigHoldsSecret { get; set; }

        /// <summary>Keeps <paramref name="value"/> for the file secrets/<paramref name="name"/> and returns the path Alertmanager reads it from.</summary>
        public string SecretFile(string name, string value)
        {
            var relative = SecretsFolder + "/" + name;
            SecretFiles[relative] = value;
            return Target.ConfigDirectory.TrimEnd('/') + "/" + relative;
        }

        public Uri? HttpUrl(string key, Uri? url, bool repeat = true)
        {
            if (!IsHttp(url))
            {
                Errors.Add($"{key} must be an absolute http or https URL" + (repeat ? $" (got \"{url}\")" : string.Empty));
                return null;
            }

            return url;
        }
    }
}
