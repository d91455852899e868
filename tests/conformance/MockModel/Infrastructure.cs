using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Climux.MockModel;

/// <summary>Every request, one JSON line each, for the tests to read what the CLIs sent.</summary>
internal sealed class RequestLog(string path)
{
    private readonly object _gate = new();

    public void Write(string method, string path, string body)
    {
        JsonNode? json = null;
        try
        {
            json = body.Length > 0 ? JsonNode.Parse(body) : null;
        }
        catch (System.Text.Json.JsonException)
        {
        }
        var line = new JsonObject
        {
            ["at"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["method"] = method,
            ["path"] = path,
            ["body"] = json ?? (body.Length > 0 ? JsonValue.Create(body) : null),
        }.ToJsonString();
        lock (_gate)
            File.AppendAllText(this.path, line + "\n");
    }

    private readonly string path = path;
}

/// <summary>Stops the server when no request came for a while, or when the process that started it is gone.</summary>
internal sealed class IdleWatch
{
    private long _last = Environment.TickCount64;

    public IdleWatch(TimeSpan idle, int? parentPid, IHostApplicationLifetime lifetime)
    {
        var timer = new Timer(_ =>
        {
            var parentGone = parentPid is { } pid && !IsAlive(pid);
            if (parentGone || Environment.TickCount64 - Interlocked.Read(ref _last) > idle.TotalMilliseconds)
                lifetime.StopApplication();
        });
        timer.Change(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        GC.KeepAlive(timer);
        _timer = timer;
    }

    private readonly Timer _timer;

    public void Touch() => Interlocked.Exchange(ref _last, Environment.TickCount64);

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
