using Climux.Core.Paths;
using Climux.Core.Platform;
using Climux.Core.Store;
using Climux.Core.Tests.Support;

namespace Climux.Core.Tests.Store;

/// <summary>Only what Climux creates is made owner-only; a folder of the user's keeps its mode (Unix).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class HomePermissionTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Mode(string path) => Convert.ToString((int)File.GetUnixFileMode(path), 8);

    [Fact]
    public void An_existing_shared_folder_as_CLIMUX_HOME_keeps_its_mode_and_draws_a_warning()
    {
        var shared = _temp.Combine("shared-tmp");
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, (UnixFileMode)Convert.ToInt32("1777", 8));
        var home = new ClimuxHome(shared);

        ClimuxStore.Open(home);

        Assert.Equal("1777", Mode(shared));
        Assert.Equal("700", Mode(home.LogsDirectory));
        Assert.Equal("600", Mode(home.DatabaseFile));
        Assert.Contains("writable by other users (mode 1777)", home.PermissionWarning());
    }

    [Fact]
    public void A_folder_of_the_users_own_draws_no_warning()
    {
        var home = _temp.Home();
        home.EnsureCreated();
        Assert.Null(home.PermissionWarning());
    }

    [Fact]
    public void Missing_folders_are_created_owner_only_parents_too_and_existing_parents_are_left_alone()
    {
        File.SetUnixFileMode(_temp.Path, (UnixFileMode)Convert.ToInt32("755", 8));
        var home = new ClimuxHome(_temp.Combine("a", "b", "climux"));
        home.EnsureCreated();
        Assert.Equal("700", Mode(_temp.Combine("a")));
        Assert.Equal("700", Mode(_temp.Combine("a", "b")));
        Assert.Equal("700", Mode(home.Root));
        Assert.Equal("755", Mode(_temp.Path));
    }

    [Fact]
    public void A_file_rewritten_in_place_keeps_its_mode_and_a_new_one_gets_the_mode_asked_for()
    {
        var existing = _temp.Write("existing.yaml", "a: 1\n");
        File.SetUnixFileMode(existing, (UnixFileMode)Convert.ToInt32("644", 8));
        OwnerOnly.WriteAllTextAtomic(existing, "a: 2\n");
        Assert.Equal("644", Mode(existing));
        var fresh = _temp.Combine("fresh.yaml");
        OwnerOnly.WriteAllTextAtomic(fresh, "a: 3\n", OwnerOnly.SharedFileMode);
        Assert.Equal("644", Mode(fresh));
    }
}
