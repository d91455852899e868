using Climux.Core.Paths;
using Climux.Core.Stats;
using Climux.Core.Store;

// Usage:
//   Climux.TestHost store-hammer <climux-home> <iterations> <tag>
//     opens the store (creating and migrating it if it is new), then <iterations> times, in one
//     BEGIN IMMEDIATE transaction each, reads a counter and writes it back plus one, and adds a row.
//     Exit code 0 when every write committed.
//   Climux.TestHost local-days <climux-home>
//     prints "day count" per local day of Get-ClimuxStats -By Day over all sessions, in the
//     process's time zone (set TZ), then the same counted one session at a time in .NET.
if (args is ["local-days", var statsHome])
{
    var stats = ClimuxStore.Open(new ClimuxHome(statsHome));
    foreach (var row in StatsQuery.Run(stats, StatsGrouping.Day, DateTimeOffset.FromUnixTimeMilliseconds(0), DateTimeOffset.UtcNow.AddYears(5)))
        Console.WriteLine($"sql {row.Key} {row.Sessions}");
    var times = stats.Read(c =>
    {
        using var command = c.CreateCommand();
        command.CommandText = "SELECT queued_at FROM sessions";
        using var reader = command.ExecuteReader();
        var list = new List<long>();
        while (reader.Read())
            list.Add(reader.GetInt64(0));
        return list;
    });
    foreach (var group in times.GroupBy(t => DateTimeOffset.FromUnixTimeMilliseconds(t).ToLocalTime().ToString("yyyy-MM-dd")).OrderBy(g => g.Key))
        Console.WriteLine($"net {group.Key} {group.Count()}");
    return 0;
}
if (args is not ["store-hammer", var home, var iterationsText, var tag])
{
    Console.Error.WriteLine("usage: Climux.TestHost store-hammer <climux-home> <iterations> <tag> | local-days <climux-home>");
    return 2;
}

var store = ClimuxStore.Open(new ClimuxHome(home));
store.Write((c, t) => Exec(c, t, "CREATE TABLE IF NOT EXISTS hammer_counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL); " +
                                 "CREATE TABLE IF NOT EXISTS hammer_rows (tag TEXT NOT NULL, i INTEGER NOT NULL); " +
                                 "INSERT OR IGNORE INTO hammer_counter VALUES (1, 0);"));
for (var i = 0; i < int.Parse(iterationsText); i++)
{
    store.Write((c, t) =>
    {
        using var read = c.CreateCommand();
        read.Transaction = t;
        read.CommandText = "SELECT n FROM hammer_counter WHERE id = 1";
        var n = Convert.ToInt64(read.ExecuteScalar());
        Exec(c, t, $"UPDATE hammer_counter SET n = {n + 1} WHERE id = 1; INSERT INTO hammer_rows VALUES ('{tag}', {i});");
    });
}
return 0;

static void Exec(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction transaction, string sql)
{
    using var command = connection.CreateCommand();
    command.Transaction = transaction;
    command.CommandText = sql;
    command.ExecuteNonQuery();
}
