using InternetMonitor.Probe.Storage;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Storage;

/// <summary>The data folder's own checks: a folder others may write in is warned about, an owner-only one is not.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class DataFilesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("im-data-files-").FullName;

    [Fact]
    public void A_folder_others_may_write_in_is_warned_about_and_an_owner_only_one_is_not()
    {
        Assert.Null(DataFiles.FolderWarning(_folder)); // made 0700
        Assert.Null(DataFiles.FolderWarning(Path.Combine(_folder, "not-yet")));

        File.SetUnixFileMode(_folder, DataFiles.OwnerOnlyFolder | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute);

        Assert.Equal(
            $"others than its owner may write in the folder {_folder} (mode 0770): they could put files or links where the probe keeps its data; make it owner-only (chmod 700)",
            DataFiles.FolderWarning(_folder));
    }

    [Fact]
    public void A_new_file_replaces_a_link_left_in_its_place_and_never_writes_its_target()
    {
        var victim = Path.Combine(_folder, "victim");
        File.WriteAllText(victim, "kept");
        var path = Path.Combine(_folder, "new");
        File.CreateSymbolicLink(path, victim);

        using (var file = DataFiles.CreateNew(path))
        {
            file.Write("written"u8);
        }

        Assert.Equal("kept", File.ReadAllText(victim));
        Assert.Null(DataFiles.LinkTarget(path));
        Assert.Equal("written", File.ReadAllText(path));
        Assert.Equal(DataFiles.OwnerOnlyFile, File.GetUnixFileMode(path));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
