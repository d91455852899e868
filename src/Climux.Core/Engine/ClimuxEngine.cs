using Climux.Core.Config;
using Climux.Core.Paths;
using Climux.Core.Platform;
using Climux.Core.Providers;
using Climux.Core.Quotas;
using Climux.Core.Routing;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.Core.Stats;
using Climux.Core.Store;
using Climux.Core.Workspaces;
using Climux.Core.Worktrees;

namespace Climux.Core.Engine;

/// <summary>
/// Climux for one home (<c>CLIMUX_HOME</c>): its store and change signal, the runs this process
/// hosts, and every operation the cmdlets, the <c>climux</c> command and the MCP server share.
/// Each face opens one per home and disposes it when it is done; disposing stops the runs it
/// hosts (their sessions end Stopped, their agents' process trees are killed) and releases the
/// store and the signal.
/// </summary>
public sealed class ClimuxEngine : IDisposable, IAsyncDisposable
{
    /// <summary>How long disposing waits for the stopped runs to record their end.</summary>
    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(30);

    private int _disposed;

    private ClimuxEngine(ClimuxHome home, IClimuxStore store, IStoreSignal signal, string hostName, StoreConfig settings)
    {
        Home = home;
        Store = store;
        Signal = signal;
        HostName = hostName;
        Runs = new RunEngine(this);
        Sessions = new SessionService(this);
        if (store.IsShared)
            Leases = new LeaseKeeper(this, TimeSpan.FromSeconds(settings.LeaseSeconds));
    }

    /// <summary>
    /// Opens the engine of <paramref name="home"/>: its store (created and migrated when new) and
    /// its change signal, unless given.
    /// </summary>
    /// <exception cref="StoreException">The store is damaged (<see cref="StoreCorruptException"/>), cannot be used
    /// (<see cref="StoreUnavailableException"/>) or is from a newer Climux (<see cref="StoreVersionException"/>).</exception>
    /// <param name="hostName">The name sessions record as their Host; this machine's name unless given (two "machines" on one).</param>
    public static ClimuxEngine Open(ClimuxHome home, IClimuxStore? store = null, IStoreSignal? signal = null, string? hostName = null)
    {
        var settings = ClimuxStore.Settings(home);
        store ??= ClimuxStore.Open(home, settings);
        try
        {
            signal ??= ClimuxStore.OpenSignal(home, settings);
        }
        catch
        {
            store.Dispose();
            throw;
        }
        var engine = new ClimuxEngine(home, store, signal, hostName ?? Environment.MachineName, settings);
        engine.ApplyRetentionIfDue();
        return engine;
    }

    /// <summary>When retention was last applied: a file in the home whose write time is the moment.</summary>
    private string RetentionStamp => Path.Combine(Home.Root, "retention.stamp");

    /// <summary>
    /// Applies <c>retention.days</c> of the user's config, at most once a day (whichever Climux call
    /// comes first): deletes the finished sessions older than that, with their transcripts and logs.
    /// Returns how many; 0 when not due, not set, or the config cannot be read (the command that reads it says why).
    /// </summary>
    public int ApplyRetentionIfDue()
    {
        try
        {
            var days = ConfigLoader.Load(Home, null).Config.Retention.Days;
            if (days <= 0 || !Directory.Exists(Home.Root))
                return 0;
            var stamp = RetentionStamp;
            if (File.Exists(stamp) && DateTime.UtcNow - File.GetLastWriteTimeUtc(stamp) < TimeSpan.FromDays(1))
                return 0;
            File.WriteAllText(stamp, DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            File.SetLastWriteTimeUtc(stamp, DateTime.UtcNow);
            return Sessions.RemoveOlderThanAsync(days).GetAwaiter().GetResult().Count;
        }
        catch (Exception e) when (e is ConfigException or IOException or UnauthorizedAccessException or StoreException)
        {
            return 0;
        }
    }

    public ClimuxHome Home { get; }

    /// <summary>This machine's name, recorded as each session's Host.</summary>
    public string HostName { get; }

    public IClimuxStore Store { get; }

    public IStoreSignal Signal { get; }

    /// <summary>The hold this engine keeps on its sessions in a shared store; null for the embedded one.</summary>
    public LeaseKeeper? Leases { get; }

    /// <summary>Queue, start, find and stop the runs this engine hosts.</summary>
    public RunEngine Runs { get; }

    /// <summary>Every session of the store: find, wait, stop, transcripts, export, delete.</summary>
    public SessionService Sessions { get; }

    /// <summary>The user's config and, for a workspace, its project config.</summary>
    /// <exception cref="ConfigException">A config file cannot be used; the message names the file, line and key.</exception>
    public LoadedConfig LoadConfig(string? workspaceRoot) => ConfigLoader.Load(Home, workspaceRoot);

    /// <summary>Which sessions have lost their host, as of now.</summary>
    internal OrphanPolicy OrphansNow() => new(HostName, ProcessIdentity.Current, DateTimeOffset.UtcNow);

    /// <summary>Marks Orphaned every live session whose host is gone and kills what is left of its agent. Returns how many.</summary>
    public int ReclaimOrphans()
    {
        var orphans = Store.ReclaimOrphans(OrphansNow());
        if (orphans.Count == 0)
            return 0;
        OrphanPolicy.KillAgents(orphans);
        Signal.Notify();
        return orphans.Count;
    }

    /// <summary>Running and queued sessions, limits, per-workspace load and today's cost against the budget.</summary>
    public ClimuxStatus Status(ClimuxConfig config)
    {
        ReclaimOrphans();
        return ClimuxStatus.Read(Store, config);
    }

    /// <summary>Usage and cost of the sessions queued in [<paramref name="from"/>, <paramref name="to"/>), grouped; days are local days.</summary>
    /// <param name="workspace">Only this repository's sessions (its top folder, as <see cref="WorkspaceRoot"/> gives it).</param>
    public IReadOnlyList<ClimuxStatsRow> Stats(StatsGrouping by, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string>? providers = null, string? workspace = null) =>
        Store.Stats(by, from, to, providers, TimeZoneInfo.Local, workspace);

    /// <summary>
    /// The repository a workspace argument means, as sessions record it: an <c>@alias</c> from
    /// <c>workspaces:</c> or a folder (relative to <paramref name="currentDirectory"/>), taken to the top of its repository.
    /// </summary>
    /// <exception cref="WorkspaceAliasNotFoundException">An <c>@alias</c> the config does not define.</exception>
    public static string WorkspaceRoot(string workspace, string currentDirectory, ClimuxConfig config) =>
        WorkspaceAliases.RootOf(workspace, currentDirectory, config);

    /// <summary>Today's spend against the daily budget.</summary>
    public BudgetState Budget(MonitoringConfig monitoring) => Quotas.Budget.Today(Store, monitoring);

    /// <summary>The providers a config knows, with their install state and versions (cached in the store).</summary>
    public ProviderDirectory Providers() => new(Store);

    /// <summary>The worktrees of the repository whose main worktree is <paramref name="workspaceRoot"/>.</summary>
    public WorktreeManager Worktrees(string workspaceRoot, ClimuxConfig config) => new(Home, config, workspaceRoot, Store);

    /// <summary>
    /// The folder a run goes to: the folder of <paramref name="worktree"/> (in the repository of
    /// <paramref name="workspace"/>, else of <paramref name="currentDirectory"/>); else the top of
    /// the <paramref name="workspace"/> repository; else <paramref name="currentDirectory"/> as it is.
    /// A relative <paramref name="workspace"/> is taken against <paramref name="currentDirectory"/>; <c>@name</c> is an alias from <c>workspaces:</c>.
    /// </summary>
    /// <exception cref="RunRequestException">No such worktree (<see cref="RunRequestProblem.DirectoryNotFound"/>).</exception>
    /// <exception cref="WorkspaceAliasNotFoundException"><paramref name="workspace"/> is an <c>@alias</c> the config does not define.</exception>
    public string ResolveRunDirectory(string currentDirectory, string? workspace, string? worktree, ClimuxConfig config)
    {
        var baseDirectory = workspace is null ? currentDirectory : Path.GetFullPath(WorkspaceAliases.Expand(workspace, config), currentDirectory);
        if (worktree is null)
            return workspace is null ? baseDirectory : WorkspaceLocator.FindWorkspaceRoot(baseDirectory) ?? baseDirectory;
        var root = WorkspaceLocator.FindWorkspaceRoot(baseDirectory);
        return (root is null ? null : Worktrees(root, config).PathOf(worktree))
            ?? throw new RunRequestException(RunRequestProblem.DirectoryNotFound, root is null
                ? $"'{baseDirectory}' is not in a git repository, so it has no worktree '{worktree}'."
                : $"The repository '{root}' has no worktree '{worktree}'. Create it with: New-ClimuxWorktree {worktree}");
    }

    /// <summary>
    /// The provider a run of <paramref name="prompt"/> would get, and why: <paramref name="provider"/>
    /// when given, else the preset's, else the first routing rule that matches, else defaultProvider.
    /// </summary>
    /// <exception cref="RunRequestException">No such preset (<see cref="RunRequestProblem.UnknownPreset"/>).</exception>
    public ClimuxRoute Route(ClimuxConfig config, string prompt, string? provider = null, string? preset = null) =>
        Routes.Resolve(config, prompt, provider, preset, Presets.Find(config, preset)?.Provider);

    /// <summary>The team settings of a shared store, as YAML; null when there are none (or the store is this machine's own).</summary>
    public string? TeamConfig() => Store.TeamConfig();

    /// <summary>Sets (or with <paramref name="remove"/>, removes) one team setting in the shared store.</summary>
    /// <exception cref="ConfigException">The key is not a team setting, or the value does not fit it.</exception>
    /// <exception cref="InvalidOperationException">The store is not shared.</exception>
    public void SetTeamSetting(string key, object? value, bool remove = false)
    {
        Store.SaveTeamConfig(Config.TeamConfig.Edit(Store.TeamConfig(), key, value, remove));
        Signal.Notify();
    }

    /// <summary>Lowers <paramref name="config"/> to the team's ceiling when the store is shared; returns it.</summary>
    public ClimuxConfig WithTeamCeiling(ClimuxConfig config)
    {
        if (Store.IsShared)
            Config.TeamConfig.ApplyCeiling(config, Store.TeamConfig());
        return config;
    }

    /// <summary>
    /// Copies this store's sessions and transcripts into the PostgreSQL store that
    /// <paramref name="connectionString"/> names (created and migrated when new), idempotently.
    /// </summary>
    /// <exception cref="StoreException">The target cannot be used.</exception>
    public ClimuxStoreCopy CopyStoreTo(string connectionString)
    {
        using var target = ClimuxStore.OpenPostgres(connectionString);
        return StoreCopier.Copy(Store, target);
    }

    /// <summary>Checks the store's integrity now.</summary>
    public ClimuxStoreCheck CheckStore() => Store.Check();

    /// <summary>Checks the store of <paramref name="home"/> without opening an engine, so it works on a store too damaged to open.</summary>
    public static ClimuxStoreCheck CheckStore(ClimuxHome home) => ClimuxStore.Check(home);

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await Runs.CloseAsync("The Climux engine that ran it was closed.", CloseTimeout).ConfigureAwait(false);
        Leases?.Dispose();
        Signal.Dispose();
        Store.Dispose();
    }
}
