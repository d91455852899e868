using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Climux.Core.Sessions;
using Climux.Core.Text;

namespace Climux.Core.Export;

public enum ExportFormat
{
    Markdown,
    Json,
}

/// <summary>A session and its transcript as Markdown or JSON, with secrets redacted.</summary>
public sealed class SessionExporter(SecretRedactor redactor)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string Export(ClimuxSession session, IReadOnlyList<ClimuxSessionEvent> events, ExportFormat format) =>
        format == ExportFormat.Json ? Json(session, events) : Markdown(session, events);

    /// <summary>Text as it may leave Climux: secrets redacted, no terminal control sequences (a store written before they were stripped may hold some).</summary>
    private string? Safe(string? text) => redactor.Redact(TerminalText.Clean(text));

    private string Json(ClimuxSession s, IReadOnlyList<ClimuxSessionEvent> events)
    {
        var document = new
        {
            Session = new
            {
                s.Id, s.Name, s.Provider, s.Model, s.Mode, s.Status,
                Prompt = Safe(s.Prompt),
                s.Workspace, s.Worktree, s.Directory, s.Branch, s.NativeSessionId, s.ResumeCommand, s.ParentId, s.DependsOn,
                s.ExitCode, s.QueuedAt, s.StartedAt, s.EndedAt, DurationSeconds = s.Duration,
                s.InputTokens, s.OutputTokens, s.CacheReadTokens, s.CacheWriteTokens, s.TotalTokens, s.CostUsd, s.CostSource,
                s.Turns, s.FilesChanged, s.LinesAdded, s.LinesRemoved, s.BaseCommit,
                Result = Safe(s.Result),
                Error = Safe(s.Error),
            },
            Events = events.Select(e => new
            {
                e.Sequence, e.At, e.Kind, e.Role, e.Tool,
                Text = Safe(e.Text),
                Data = Safe(e.Data),
            }),
        };
        return JsonSerializer.Serialize(document, JsonOptions);
    }

    private string Markdown(ClimuxSession s, IReadOnlyList<ClimuxSessionEvent> events)
    {
        var md = new StringBuilder();
        var title = ClimuxSession.Abbreviate(Safe(s.Prompt)!, 80);
        md.Append(CultureInfo.InvariantCulture, $"# Session {s.Id}: {title}\n\n");
        md.Append("| | |\n|---|---|\n");
        void Row(string name, object? value)
        {
            if (value is not null && Safe(value.ToString()) is { Length: > 0 } text)
                md.Append(CultureInfo.InvariantCulture, $"| {name} | {text.Replace("|", "\\|").ReplaceLineEndings(" ")} |\n");
        }
        Row("Provider", s.Model is null ? s.Provider : $"{s.Provider} ({s.Model})");
        Row("Mode", s.Mode);
        Row("Status", s.ExitCode is { } code ? $"{s.Status} (exit code {code})" : s.Status.ToString());
        Row("Workspace", s.Workspace);
        Row("Worktree", s.Worktree);
        Row("Branch", s.Branch);
        Row("Directory", s.Directory);
        Row("Native session", s.NativeSessionId is null ? null : s.ResumeCommand is { } resume ? $"{s.NativeSessionId} (resume: `{resume}`)" : s.NativeSessionId);
        Row("Resumed from", s.ParentId);
        Row("Depends on", s.DependsOn.Count == 0 ? null : string.Join(", ", s.DependsOn));
        Row("Queued", s.QueuedAt.ToString("u", CultureInfo.InvariantCulture));
        Row("Started", s.StartedAt?.ToString("u", CultureInfo.InvariantCulture));
        Row("Ended", s.EndedAt?.ToString("u", CultureInfo.InvariantCulture));
        Row("Duration", s.Duration is { } d ? $"{d:0.0} s" : null);
        Row("Tokens", $"{s.TotalTokens:N0} (input {s.InputTokens:N0}, output {s.OutputTokens:N0}, cache read {s.CacheReadTokens:N0}, cache write {s.CacheWriteTokens:N0})");
        Row("Cost", $"${s.CostUsd.ToString("0.0000", CultureInfo.InvariantCulture)}" + (s.CostSource is { } source ? $" ({source})" : ""));
        Row("Turns", s.Turns);
        Row("Changes", s.FilesChanged is { } files ? $"{files} file{(files == 1 ? "" : "s")}, +{s.LinesAdded} -{s.LinesRemoved}" : null);
        Row("Error", Safe(s.Error));

        md.Append("\n## Prompt\n\n");
        Fenced(md, Safe(s.Prompt), "text");
        md.Append("\n## Transcript\n\n");
        foreach (var e in events)
        {
            var time = e.At.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
            var text = Safe(e.Text);
            var data = Safe(e.Data);
            switch (e.Kind)
            {
                case SessionEventKind.Message:
                    md.Append(CultureInfo.InvariantCulture, $"**{e.Role ?? "agent"}** ({time}):\n\n{text}\n\n");
                    break;
                case SessionEventKind.ToolCall:
                    md.Append(CultureInfo.InvariantCulture, $"**tool call** `{e.Tool}` ({time}):\n\n");
                    if (!string.IsNullOrEmpty(text))
                        Fenced(md, text, "text");
                    if (!string.IsNullOrEmpty(data))
                        Fenced(md, data, "json");
                    break;
                case SessionEventKind.ToolResult:
                    md.Append(CultureInfo.InvariantCulture, $"**tool result** `{e.Tool}` ({time}):\n\n");
                    Fenced(md, string.IsNullOrEmpty(text) ? "(no output)" : text, "text");
                    break;
                case SessionEventKind.Usage:
                    md.Append(CultureInfo.InvariantCulture, $"_usage ({time})_: `{data}`\n\n");
                    break;
                case SessionEventKind.Result:
                    md.Append(CultureInfo.InvariantCulture, $"**result** ({time}):\n\n{text}\n\n");
                    break;
                default:
                    md.Append(CultureInfo.InvariantCulture, $"_{e.Kind.ToString().ToLowerInvariant()} ({time})_: {text ?? data}\n\n");
                    break;
            }
        }
        if (s.Result is not null)
        {
            md.Append("## Result\n\n");
            md.Append(Safe(s.Result)).Append("\n");
        }
        return md.ToString();
    }

    /// <summary>A code block whose fence is longer than any run of backticks inside it.</summary>
    private static void Fenced(StringBuilder md, string? text, string language)
    {
        text ??= "";
        var longest = 0;
        var run = 0;
        foreach (var c in text)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        var fence = new string('`', Math.Max(3, longest + 1));
        md.Append(fence).Append(language).Append('\n').Append(text).Append('\n').Append(fence).Append("\n\n");
    }
}
