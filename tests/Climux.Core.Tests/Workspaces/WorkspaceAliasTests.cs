using Climux.Core.Config;
using Climux.Core.Engine;
using Climux.Core.Tests.Support;
using Climux.Core.Workspaces;

namespace Climux.Core.Tests.Workspaces;

/// <summary>workspaces: aliases, @name wherever a workspace is taken.</summary>
public sealed class WorkspaceAliasTests : IDisposable
{
    private readonly TempFolder _temp = new("climux-alias");

    public void Dispose() => _temp.Dispose();

    private ClimuxConfig Config(string shop) => new() { Workspaces = new(StringComparer.OrdinalIgnoreCase) { ["shop"] = shop } };

    [Fact]
    public void An_alias_is_its_folder_and_other_text_stays_as_it_is()
    {
        var config = Config("/srv/shop");
        Assert.Equal("/srv/shop", WorkspaceAliases.Expand("@SHOP", config));
        Assert.Equal("shop", WorkspaceAliases.Expand("shop", config));
        Assert.Equal("@", WorkspaceAliases.Expand("@", config));
        Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "code/shop"),
            WorkspaceAliases.Expand("@home", new ClimuxConfig { Workspaces = { ["home"] = "~/code/shop" } }));
    }

    [Fact]
    public void An_unknown_alias_names_the_known_ones()
    {
        var e = Assert.Throws<WorkspaceAliasNotFoundException>(() => WorkspaceAliases.Expand("@shp", Config("/srv/shop")));
        Assert.Equal("shp", e.Alias);
        Assert.Contains("@shop", e.Message);
    }

    [Fact]
    public void A_run_and_a_filter_resolve_an_alias_from_anywhere()
    {
        var repo = TestGit.InitRepo(_temp.Combine("shop"));
        Directory.CreateDirectory(Path.Combine(repo, "src"));
        var config = Config(Path.Combine(repo, "src"));
        using var engine = ClimuxEngine.Open(_temp.Home());
        var elsewhere = _temp.Combine("elsewhere");
        Directory.CreateDirectory(elsewhere);
        Assert.Equal(repo, engine.ResolveRunDirectory(elsewhere, "@shop", null, config));
        Assert.Equal(repo, ClimuxEngine.WorkspaceRoot("@shop", elsewhere, config));
        Assert.Throws<WorkspaceAliasNotFoundException>(() => engine.ResolveRunDirectory(elsewhere, "@nope", null, config));
    }
}
