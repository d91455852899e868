using Npgsql;

namespace Climux.Core.Store;

/// <summary>
/// The signal of a PostgreSQL store: <c>NOTIFY</c> on one channel, heard through <c>LISTEN</c> by
/// every process on every machine that shares the store. A listener that loses its connection
/// connects again and wakes its waiters then, since it may have missed a change meanwhile.
/// </summary>
public sealed class PostgresStoreSignal : IStoreSignal
{
    /// <summary>The channel, named after the schema so that stores in two schemas of one database keep apart.</summary>
    private readonly string _channel;
    private readonly NpgsqlDataSource _source;
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _listening;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PostgresStoreSignal(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "climux signal", KeepAlive = 10 };
        if (!connectionString.Contains("timeout", StringComparison.OrdinalIgnoreCase))
            settings.Timeout = 5;
        _channel = "climux_changed" + (string.IsNullOrEmpty(settings.SearchPath) ? "" : "_" + new string(settings.SearchPath.Where(char.IsAsciiLetterOrDigit).ToArray()).ToLowerInvariant());
        _source = new NpgsqlDataSourceBuilder(settings.ConnectionString).Build();
        _listening = Task.Run(ListenAsync);
    }

    public Task NextChange => Volatile.Read(ref _next).Task;

    public void Notify()
    {
        Pulse();
        try
        {
            using var command = _source.CreateCommand("SELECT pg_notify(@channel, '')");
            command.Parameters.AddWithValue("channel", _channel);
            command.ExecuteNonQuery();
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
        {
            // Best effort: every waiter looks again by itself a few seconds later.
        }
    }

    private async Task ListenAsync()
    {
        var retry = TimeSpan.FromMilliseconds(200);
        while (!_closing.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _source.OpenConnectionAsync(_closing.Token).ConfigureAwait(false);
                connection.Notification += (_, _) => Pulse();
                await using (var listen = new NpgsqlCommand($"LISTEN \"{_channel}\"", connection))
                    await listen.ExecuteNonQueryAsync(_closing.Token).ConfigureAwait(false);
                Pulse(); // changes while it was not listening are not heard: look again
                retry = TimeSpan.FromMilliseconds(200);
                while (!_closing.IsCancellationRequested)
                    await connection.WaitAsync(_closing.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_closing.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or OperationCanceledException)
            {
                try
                {
                    await Task.Delay(retry, _closing.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                retry = TimeSpan.FromMilliseconds(Math.Min(retry.TotalMilliseconds * 2, 5000));
            }
        }
    }

    public void Dispose()
    {
        _closing.Cancel();
        try
        {
            _listening.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // it ends with the cancellation
        }
        _source.Dispose();
        _closing.Dispose();
        Pulse();
    }

    private void Pulse() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
