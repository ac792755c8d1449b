using System.Text;

namespace InternetMonitor.AppHost.Publishing;

/// <summary>One setting of the compose project's .env, with the comment above it.</summary>
/// <param name="Name">The variable.</param>
/// <param name="Value">What this publish writes when the existing file does not hold it (or holds it and it is owned).</param>
/// <param name="Comment">Said above it, one line each.</param>
/// <param name="Owned">Always this publish's value (it must agree with what was rendered), never the operator's.</param>
/// <param name="Secret">Its value is never printed.</param>
/// <param name="Generate">Makes the value when the existing file does not hold one (a password), instead of <paramref name="Value"/>.</param>
public sealed record EnvSetting(string Name, string Value, string Comment, bool Owned = false, bool Secret = false, Func<string>? Generate = null);

/// <summary>What merging the settings with an existing .env gives: its text, every value, and what to tell the operator.</summary>
public sealed record EnvMerge(string Text, IReadOnlyDictionary<string, string> Values, IReadOnlyList<string> Notes, IReadOnlyList<string> Generated);

/// <summary>
/// The compose project's .env: what an operator may change without publishing again. Publishing into a folder that
/// already has one keeps every value the operator set there, the variables it added by hand included (and says where a
/// kept value differs from this version's, never showing a secret), so that an upgrade never loses a password or an
/// image chosen by hand; only <see cref="EnvSetting.Owned"/> values follow the publish. The file is owner-only: it may
/// hold a password. It is read as docker compose reads it: quotes around a value and a <c> #</c> comment after an
/// unquoted one are not part of the value.
/// </summary>
public static class EnvFile
{
    private const string ByHand = "Set by hand: kept as they are by every publish.";

    /// <summary>The settings merged with the file at <paramref name="path"/>, if there is one; nothing is written.</summary>
    public static EnvMerge Merge(string path, string header, IReadOnlyList<EnvSetting> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var lines = File.Exists(path) ? File.ReadAllLines(path) : [];
        var existing = Read(lines);
        var notes = new List<string>();
        var generated = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var text = new StringBuilder(header);
        foreach (var setting in settings)
        {
            string value;
            if (!setting.Owned && existing.TryGetValue(setting.Name, out var kept))
            {
                value = kept;
                if (kept != setting.Value && setting.Value.Length > 0 && !setting.Secret)
                {
                    notes.Add($"kept {setting.Name} from the existing .env (this version writes {setting.Value})");
                }
            }
            else if (setting.Generate is not null)
            {
                value = setting.Generate();
                generated.Add(setting.Name);
            }
            else
            {
                value = setting.Value;
            }

            values[setting.Name] = value;
            text.Append('\n');
            foreach (var line in setting.Comment.Split('\n'))
            {
                text.Append("# ").Append(line).Append('\n');
            }

            text.Append(setting.Name).Append('=').Append(value).Append('\n');
        }

        // Variables the operator added (TZ, COMPOSE_HTTP_TIMEOUT, ...) are the operator's: carried over as they were written.
        var known = settings.Select(setting => setting.Name).ToHashSet(StringComparer.Ordinal);
        var added = lines.Where(line => Variable(line) is { } name && !known.Contains(name)).ToList();
        if (added.Count > 0)
        {
            text.Append("\n# ").Append(ByHand).Append('\n');
            foreach (var line in added)
            {
                text.Append(line.Trim()).Append('\n');
                values[Variable(line)!] = existing[Variable(line)!];
            }
        }

        return new EnvMerge(text.ToString(), values, notes, generated);
    }

    /// <summary>Writes <paramref name="merge"/> to <paramref name="path"/>, owner-only.</summary>
    public static void Write(string path, EnvMerge merge)
    {
        ArgumentNullException.ThrowIfNull(merge);
        WriteOwnerOnly(path, merge.Text);
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/>, readable and writable by its owner alone.</summary>
    public static void WriteOwnerOnly(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            writer.Write(text);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // an existing file keeps its mode otherwise
        }
    }

    /// <summary>The variables a .env sets, as docker compose reads them (<c>NAME=value</c>; comments, blanks and quotes left out).</summary>
    public static Dictionary<string, string> Read(IEnumerable<string> lines)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (Variable(line) is not { } name)
            {
                continue;
            }

            var raw = line.Trim();
            var value = raw[(raw.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim();
            if (value.Length >= 2 && (value[0] is '"' or '\'') && value.IndexOf(value[0], 1) is var close and > 0)
            {
                value = value[1..close];
            }
            else if (value.IndexOf(" #", StringComparison.Ordinal) is var comment and >= 0)
            {
                value = value[..comment].TrimEnd();
            }

            values[name] = value;
        }

        return values;
    }

    private static string? Variable(string line)
    {
        var text = line.Trim();
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return text.StartsWith('#') || equals <= 0 ? null : text[..equals].Trim();
    }
}
