using System.Text.Json.Nodes;
using Climux.MockModel;

// mock-model --log <requests.jsonl> [--port 0] [--idle-exit-seconds 900] [--parent-pid <pid>]
// Listens on 127.0.0.1 only and prints "LISTENING <port>" once ready. Stops by itself when idle
// for the given time or when the parent process exits.
var options = Options.Parse(args);
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://127.0.0.1:{options.Port}");
var app = builder.Build();
var log = new RequestLog(options.LogPath);
var idle = new IdleWatch(TimeSpan.FromSeconds(options.IdleExitSeconds), options.ParentPid, app.Lifetime);

app.Use(async (context, next) =>
{
    idle.Touch();
    context.Request.EnableBuffering();
    var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
    context.Request.Body.Position = 0;
    log.Write(context.Request.Method, context.Request.Path + context.Request.QueryString, body);
    if (RateLimit.Applies(context.Request.Path, body) is { } api)
    {
        await RateLimit.AnswerAsync(context, api);
        return;
    }
    await next();
});

app.MapMethods("/", ["HEAD", "GET"], () => Results.Ok());
app.MapPost("/v1/messages", (HttpContext http) => Anthropic.HandleAsync(http));
app.MapPost("/v1/responses", (HttpContext http) => OpenAiResponses.HandleAsync(http));
app.MapPost("/v1/chat/completions", (HttpContext http) => OpenAiChat.HandleAsync(http));
app.MapPost("/v1beta/models/{model}", (HttpContext http, string model) => Gemini.HandleAsync(http, model));
app.MapPost("/v1/models/{model}", (HttpContext http, string model) => Gemini.HandleAsync(http, model));
app.MapGet("/v1/models", () => Results.Json(new JsonObject { ["object"] = "list", ["data"] = new JsonArray() }));
app.MapFallback((HttpContext http) => Results.NotFound(new { error = $"mock-model has no route {http.Request.Method} {http.Request.Path}" }));

await app.StartAsync();
var port = new Uri(app.Urls.First()).Port;
Console.WriteLine($"LISTENING {port}");
Console.Out.Flush();
await app.WaitForShutdownAsync();
return 0;

internal sealed record Options(string LogPath, int Port, int IdleExitSeconds, int? ParentPid)
{
    public static Options Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        return new Options(Value("--log") ?? Path.Combine(Path.GetTempPath(), "mock-model-requests.jsonl"),
            int.Parse(Value("--port") ?? "0"), int.Parse(Value("--idle-exit-seconds") ?? "900"),
            Value("--parent-pid") is { } pid ? int.Parse(pid) : null);
    }
}
