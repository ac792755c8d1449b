using System.Text;

namespace InternetMonitor.AppHost.Publishing;

/// <summary>One setting of the compose project's .env, with the comment above it.</summary>
/// <param name="Name">The variable.</param>
/// <param name="Value">What this publish writes.</param>
/// <param name="Comment">Said above it, one line each.</param>
/// <param name="Owned">Always this publish's value (it must agree with what was rendered), never the operator's.</param>
public sealed record EnvSetting(string Name, string Value, string Comment, bool Owned = false);

/// <summary>
/// The compose project's .env: what an operator may change without publishing again. Publishing into a folder that
/// already has one keeps every value the operator set there (and says where it differs from this version's), so that
/// an upgrade never loses a password or an image chosen by hand; only <see cref="EnvSetting.Owned"/> values follow the
/// publish. The file is owner-only: it may hold a password.
/// </summary>
public static class EnvFile
{
    /// <summary>Writes <paramref name="path"/> and returns one line for each value kept from the file that was there.</summary>
    public static IReadOnlyList<string> Write(string path, string header, IReadOnlyList<EnvSetting> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var existing = File.Exists(path) ? Read(File.ReadAllLines(path)) : new Dictionary<string, string>(StringComparer.Ordinal);
        var notes = new List<string>();
        var text = new StringBuilder(header);
        foreach (var setting in settings)
        {
            var value = setting.Value;
            if (!setting.Owned && existing.TryGetValue(setting.Name, out var kept))
            {
                if (kept != value && value.Length > 0)
                {
                    notes.Add($"kept {setting.Name} from the existing .env (this version writes {value})");
                }

                value = kept;
            }

            text.Append('\n');
            foreach (var line in setting.Comment.Split('\n'))
            {
                text.Append("# ").Append(line).Append('\n');
            }

            text.Append(setting.Name).Append('=').Append(value).Append('\n');
        }

        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            writer.Write(text.ToString());
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // an existing file keeps its mode otherwise
        }

        return notes;
    }

    /// <summary>The variables a .env sets (<c>NAME=value</c> lines; comments and blank lines skipped).</summary>
    public static Dictionary<string, string> Read(IEnumerable<string> lines)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Select(line => line.Trim()))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (line.StartsWith('#') || equals <= 0)
            {
                continue;
            }

            values[line[..equals].Trim()] = line[(equals + 1)..];
        }

        return values;
    }
}
