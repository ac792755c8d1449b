using InternetMonitor.Tests.Support;
using Markdig;
using Markdig.Extensions.AutoIdentifiers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace InternetMonitor.Tests.Documentation;

/// <summary>
/// Every relative link and anchor in README.md and docs/ resolves: the file exists, and the heading it names is there,
/// by GitHub's rule for heading anchors (Markdig's, in its GitHub mode). Links to other hosts are not followed.
/// </summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class DocumentationLinkTests
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseAutoIdentifiers(AutoIdentifierOptions.GitHub)
        .UsePipeTables()
        .Build();

    public static TheoryData<string> Pages()
    {
        var pages = new TheoryData<string> { "README.md" };
        foreach (var page in Directory.GetFiles(Repository.PathOf("docs"), "*.md").Order(StringComparer.Ordinal))
        {
            pages.Add(Path.GetRelativePath(Repository.Root, page));
        }

        return pages;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_relative_link_and_anchor_resolves(string page)
    {
        var path = Repository.PathOf(page);
        var links = Parse(path).Descendants<LinkInline>().Select(link => link.Url).OfType<string>().ToList();

        var broken = links.Select(url => (url, Problem(path, url))).Where(link => link.Item2 is not null).ToList();

        Assert.True(broken.Count == 0, $"{page}:\n{string.Join('\n', broken.Select(link => $"{link.url}: {link.Item2}"))}");
    }

    [Fact]
    public void The_README_is_short_and_links_every_page_of_the_docs()
    {
        var readme = File.ReadAllText(Repository.PathOf("README.md"));

        Assert.True(readme.Split('\n').Length <= 200, $"README.md has {readme.Split('\n').Length} lines");
        var linked = Parse(Repository.PathOf("README.md")).Descendants<LinkInline>().Select(link => link.Url).ToHashSet(StringComparer.Ordinal);
        Assert.All(Pages().Select(row => row.Data).Where(page => page != "README.md"), page => Assert.Contains(page, linked));
    }

    /// <summary>Why <paramref name="url"/>, written in <paramref name="page"/>, does not resolve; null when it does.</summary>
    private static string? Problem(string page, string url)
    {
        if (url.Contains("://", StringComparison.Ordinal) || url.StartsWith("mailto:", StringComparison.Ordinal))
        {
            return null;
        }

        var hash = url.IndexOf('#', StringComparison.Ordinal);
        var file = hash < 0 ? url : url[..hash];
        var target = file.Length == 0 ? page : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, Uri.UnescapeDataString(file)));
        if (!File.Exists(target) && !Directory.Exists(target))
        {
            return $"no file {Path.GetRelativePath(Repository.Root, target)}";
        }

        if (hash < 0)
        {
            return null;
        }

        var anchor = url[(hash + 1)..];
        if (!target.EndsWith(".md", StringComparison.Ordinal))
        {
            return $"an anchor into {Path.GetFileName(target)}, which is not a page";
        }

        var anchors = Parse(target).Descendants<HeadingBlock>().Select(heading => heading.GetAttributes().Id).ToHashSet(StringComparer.Ordinal);
        return anchors.Contains(anchor) ? null : $"no heading #{anchor} in {Path.GetRelativePath(Repository.Root, target)}";
    }

    private static MarkdownDocument Parse(string path) => Markdown.Parse(File.ReadAllText(path), Pipeline);
}
