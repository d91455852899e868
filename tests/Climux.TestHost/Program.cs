using Climux.Core.Paths;
using Climux.Core.Store;

// Usage: Climux.TestHost store-hammer <climux-home> <iterations> <tag>
//   opens the store (creating and migrating it if it is new), then <iterations> times, in one
//   BEGIN IMMEDIATE transaction each, reads a counter and writes it back plus one, and adds a row.
// Exit code 0 when every write committed.
if (args is not ["store-hammer", var home, var iterationsText, var tag])
{
    Console.Error.WriteLine("usage: Climux.TestHost store-hammer <climux-home> <iterations> <tag>");
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
