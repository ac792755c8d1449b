using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using InternetMonitor.Probe.Hosting;

namespace InternetMonitor.Probe.Campaigns;

/// <summary>
/// The campaign rules the probe knows, read from <c>Campaigns/campaign-rules.json</c> (embedded) and checked once: a
/// broken entry is the probe's bug, named with its key, never a campaign that runs by wrong rules.
/// </summary>
public static class CampaignRuleBook
{
    /// <summary>The rules a campaign follows when its request names none.</summary>
    public const string DefaultRules = "bnetza";

    private static readonly Lazy<IReadOnlyDictionary<string, CampaignRules>> Entries = new(() => Parse(EmbeddedText.Read("InternetMonitor.Probe.Campaigns.campaign-rules.json")));

    /// <summary>Every entry by its key.</summary>
    public static IReadOnlyDictionary<string, CampaignRules> All => Entries.Value;

    /// <summary>The entry <paramref name="id"/>, or null.</summary>
    public static CampaignRules? Find(string id) => All.TryGetValue(id, out var rules) ? rules : null;

    /// <summary>Reads and checks a rules file's entries.</summary>
    /// <exception cref="InvalidOperationException">An entry is incomplete or contradicts itself; the message names it.</exception>
    public static IReadOnlyDictionary<string, CampaignRules> Parse(string json)
    {
        var entries = JsonSerializer.Deserialize(json, CampaignRulesJsonContext.Default.DictionaryStringCampaignRules)
            ?? throw new InvalidOperationException("the campaign rules file is empty");
        var rules = new Dictionary<string, CampaignRules>(StringComparer.Ordinal);
        foreach (var (id, entry) in entries)
        {
            var named = entry with { Id = id };
            if (Problem(named) is { } problem)
            {
                throw new InvalidOperationException($"campaign rules '{id}': {problem}");
            }

            rules[id] = named;
        }

        return rules;
    }

    /// <summary>What is wrong with <paramref name="rules"/>, or null.</summary>
    public static string? Problem(CampaignRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (rules.Name.Length == 0 || rules.Source.Length == 0)
        {
            return "needs a name and a source";
        }

        if (rules.Days < 1 || rules.PerDay < 1)
        {
            return "needs at least one day and one measurement a day";
        }

        var span = rules.Days + ((rules.Days - 1) * rules.GapDays);
        if (rules.WithinDays < span)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{rules.Days} days with {rules.GapDays} free between them need {span} days, more than withinDays ({rules.WithinDays})");
        }

        if (rules.MinSpacing <= TimeSpan.Zero || rules.RetryAfter <= TimeSpan.Zero)
        {
            return "minSpacing and retryAfter must be positive";
        }

        if (rules.SplitAfter < 0 || rules.SplitAfter >= rules.PerDay && rules.SplitAfter != 0)
        {
            return "splitAfter must be 0 or less than perDay";
        }

        if (rules.DayEnd <= rules.DayStart)
        {
            return "dayEnd must be after dayStart";
        }

        var gaps = (rules.PerDay - 1) * rules.MinSpacing + (rules.SplitAfter > 0 ? rules.SplitGap - rules.MinSpacing : TimeSpan.Zero);
        if (rules.DayEnd - rules.DayStart < gaps)
        {
            return "dayStart to dayEnd cannot hold a day's measurements at their spacing";
        }

        if (rules.Criteria.Count == 0)
        {
            return "needs at least one criterion";
        }

        foreach (var criterion in rules.Criteria)
        {
            if (criterion.Id.Length == 0 || criterion.Wording.Length == 0)
            {
                return "each criterion needs an id and its wording";
            }

            if (!double.IsFinite(criterion.Factor) || criterion.Factor <= 0 || criterion.Factor > 1)
            {
                return $"criterion '{criterion.Id}': factor must be above 0 and at most 1";
            }

            var bad = criterion.Kind switch
            {
                CriterionKind.ReachOnDays or CriterionKind.BelowOnDays => criterion.Days < 1 || criterion.Days > rules.Days,
                _ => !(criterion.Share > 0 && criterion.Share <= 1),
            };
            if (bad)
            {
                return $"criterion '{criterion.Id}': days must be 1 to {rules.Days.ToString(CultureInfo.InvariantCulture)}, share above 0 and at most 1";
            }
        }

        return null;
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, ReadCommentHandling = JsonCommentHandling.Skip, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(Dictionary<string, CampaignRules>))]
internal sealed partial class CampaignRulesJsonContext : JsonSerializerContext;
