using Climux.Core.Engine;
using Climux.Core.Sessions;
using Climux.Core.Tests.Support;

namespace Climux.Core.Tests.Engine;

/// <summary>retention: { days: N } and removing finished sessions by age, with their logs.</summary>
public sealed class RetentionTests : IDisposable
{
    private readonly TempFolder _temp = new("climux-retention");

    public void Dispose() => _temp.Dispose();

    private static DateTimeOffset DaysAgo(double days) => DateTimeOffset.UtcNow.AddDays(-days);

    /// <summary>Sessions 40 and 10 days old, finished; one queued; each with a log file.</summary>
    private (ClimuxSession Old, ClimuxSession Recent, ClimuxSession Queued) Seed(ClimuxEngine engine)
    {
        var factory = new SessionFactory(engine.Store);
        var old = factory.Finished(DaysAgo(40), SessionStatus.Completed, ran: TimeSpan.FromMinutes(1));
        var recent = factory.Finished(DaysAgo(10), SessionStatus.Failed, ran: TimeSpan.FromMinutes(1));
        var queued = factory.Queue();
        Directory.CreateDirectory(engine.Home.LogsDirectory);
        foreach (var s in new[] { old, recent, queued })
            File.WriteAllText(Path.Combine(engine.Home.LogsDirectory, $"{s.Id}.out.log"), "x");
        return (old, recent, queued);
    }

    [Fact]
    public async Task OlderThan_deletes_only_finished_sessions_of_that_age_with_their_logs()
    {
        using var engine = ClimuxEngine.Open(_temp.Home());
        var (old, recent, queued) = Seed(engine);

        Assert.Equal([old.Id], engine.Sessions.FinishedOlderThan(30).Select(s => s.Id));
        var removed = await engine.Sessions.RemoveOlderThanAsync(30);
        Assert.Equal([old.Id], removed.Select(s => s.Id));
        Assert.Null(engine.Store.Get(old.Id));
        Assert.False(File.Exists(Path.Combine(engine.Home.LogsDirectory, $"{old.Id}.out.log")));
        Assert.True(File.Exists(Path.Combine(engine.Home.LogsDirectory, $"{recent.Id}.out.log")));

        await engine.Sessions.RemoveOlderThanAsync(0);
        Assert.Equal([queued.Id], engine.Store.Find(new SessionFilter()).Select(s => s.Id));
    }

    [Fact]
    public void Retention_is_applied_by_opening_the_engine_at_most_once_a_day()
    {
        var home = _temp.Home();
        string oldId, recentId;
        using (var engine = ClimuxEngine.Open(home))
        {
            var seeded = Seed(engine);
            (oldId, recentId) = (seeded.Old.Id, seeded.Recent.Id);
        }
        File.WriteAllText(home.ConfigFile, "retention: { days: 30 }\n");

        using (var engine = ClimuxEngine.Open(home))
        {
            Assert.Null(engine.Store.Get(oldId));
            Assert.NotNull(engine.Store.Get(recentId));
            // Due again only a day later: a second call today deletes nothing, even with a shorter retention.
            File.WriteAllText(home.ConfigFile, "retention: { days: 5 }\n");
            Assert.Equal(0, engine.ApplyRetentionIfDue());
            Assert.NotNull(engine.Store.Get(recentId));
            File.SetLastWriteTimeUtc(Path.Combine(home.Root, "retention.stamp"), DateTime.UtcNow.AddDays(-2));
            Assert.True(engine.ApplyRetentionIfDue() >= 1);
            Assert.Null(engine.Store.Get(recentId));
        }
    }

    [Fact]
    public void Without_retention_nothing_is_deleted()
    {
        var home = _temp.Home();
        string oldId;
        using (var engine = ClimuxEngine.Open(home))
            oldId = Seed(engine).Old.Id;
        using (var engine = ClimuxEngine.Open(home))
        {
            Assert.Equal(0, engine.ApplyRetentionIfDue());
            Assert.NotNull(engine.Store.Get(oldId));
        }
    }
}
