using Npgsql;

namespace Climux.Core.Tests.Support;

/// <summary>
/// A fresh, empty schema in the throw-away PostgreSQL cluster that <c>./build.ps1 test</c> starts
/// (tools/TestPostgres.ps1) and names in <c>CLIMUX_TEST_POSTGRES</c>; dropped afterwards. The
/// classes that use it carry the trait Store=Postgres, which build.ps1 leaves out only when this
/// machine has no PostgreSQL and it is not CI (in CI a missing PostgreSQL fails the run).
/// </summary>
public sealed class TestPostgres : IDisposable
{
    public const string Variable = "CLIMUX_TEST_POSTGRES";

    private readonly string _server;

    public TestPostgres()
    {
        _server = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } server
            ? server
            : throw new InvalidOperationException(
                $"These tests need a PostgreSQL: run them through './build.ps1 test' (it starts a throw-away cluster when initdb is installed), " +
                $"or start one with tools/TestPostgres.ps1 and set {Variable} to its connection string.");
        Schema = "t_" + Guid.NewGuid().ToString("N")[..12];
        using var connection = new NpgsqlConnection(_server);
        connection.Open();
        using var create = new NpgsqlCommand($"CREATE SCHEMA {Schema}", connection);
        create.ExecuteNonQuery();
        ConnectionString = new NpgsqlConnectionStringBuilder(_server) { SearchPath = Schema }.ConnectionString;
    }

    public string Schema { get; }

    /// <summary>The cluster, with this test's schema as the search path.</summary>
    public string ConnectionString { get; }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(_server);
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE", connection);
        drop.ExecuteNonQuery();
    }
}
