using Climux.Core.Store;
using Climux.Core.Tests.Support;

namespace Climux.Core.Tests.Store;

/// <summary>The contract on a PostgreSQL store (a schema of its own in the test cluster).</summary>
[Trait("Store", "Postgres")]
public sealed class PostgresStoreContract : StoreContract
{
    private TestPostgres? _database;

    protected override IClimuxStore CreateStore()
    {
        _database = new TestPostgres();
        return ClimuxStore.OpenPostgres(_database.ConnectionString);
    }

    protected override IClimuxStore Reopen() => ClimuxStore.OpenPostgres(_database!.ConnectionString);

    public override void Dispose()
    {
        base.Dispose();
        _database?.Dispose();
    }
}
