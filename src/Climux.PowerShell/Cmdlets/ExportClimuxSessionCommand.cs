using System.Management.Automation;
using Climux.Core.Export;
using Climux.Core.Platform;
using Climux.PowerShell.Completion;

namespace Climux.PowerShell.Cmdlets;

/// <summary>Exports sessions as Markdown or JSON: details, prompt, transcript, usage and cost, with API keys redacted.</summary>
/// <remarks>
/// <para>The Markdown export starts with a table of the session's details (provider and model, mode,
/// status and exit code, workspace, worktree, branch, folder, native session id and resume command,
/// times, tokens by kind, cost and its source, turns, files and lines changed, error), then the prompt,
/// the transcript and the result. The JSON export holds the same fields under Session and every
/// transcript entry under Events.</para>
/// <para>In the prompt, result, error and transcript it replaces with [REDACTED] the values (8 characters
/// or more, not plain numbers) of the environment variables, of this process and of the providers' env in
/// the config, whose names say KEY, TOKEN, SECRET, PASSWORD, CREDENTIAL or AUTH; well-known API key and
/// token shapes (Anthropic, OpenAI, Google, GitHub, GitLab, Slack, npm, Hugging Face, Stripe, AWS, JWTs);
/// Authorization headers and bearer tokens; and NAME=value pairs whose name says secret. Ordinary values
/// are left alone: a provider env AGENT_MODE=claude does not hide the word claude. Terminal control
/// sequences are stripped too.</para>
/// <para>Without -Path it outputs the text, one string per session. With -Path it writes a file, or one
/// file per session into an existing folder, readable by you only, and outputs the file. An existing
/// file is not replaced without -Force (a non-terminating ClimuxExportFileExists error). A reference
/// that matches no session writes ClimuxSessionNotFound. -WhatIf and -Confirm apply to writing
/// files.</para>
/// </remarks>
/// <example>
/// <code>Export-ClimuxSession fix-login -Path ./fix-login.md</code>
/// <para>Writes the session named fix-login as Markdown, to attach to a pull request.</para>
/// </example>
/// <example>
/// <code>New-Item -ItemType Directory ./transcripts -Force | Out-Null
/// Get-ClimuxSession -Worktree feature-login | Export-ClimuxSession -Format Json -Path ./transcripts</code>
/// <para>Writes every session of the feature-login worktree as ./transcripts/&lt;id&gt;.json.</para>
/// </example>
/// <example>
/// <code>Export-ClimuxSession k3v9x2ma -Format Json | ConvertFrom-Json | ForEach-Object Events | Where-Object Kind -eq 'ToolCall'</code>
/// <para>Reads the redacted JSON export back as objects and lists the tool calls.</para>
/// </example>
[Cmdlet(VerbsData.Export, "ClimuxSession", SupportsShouldProcess = true)]
[OutputType(typeof(string), typeof(FileInfo))]
public sealed class ExportClimuxSessionCommand : ClimuxCmdlet
{
    /// <summary>
    /// Sessions to export: ids, names, id prefixes (4 characters or more), ClimuxSession objects or
    /// ClimuxRun jobs.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SessionReference]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    public string[] Id { get; set; } = [];

    /// <summary>Markdown (the default) or Json.</summary>
    [Parameter]
    public ExportFormat Format { get; set; } = ExportFormat.Markdown;

    /// <summary>
    /// A file to write, or an existing folder to write one file per session into, named &lt;id&gt;.md or
    /// &lt;id&gt;.json. Give a folder when exporting several sessions. Without -Path the text is output.
    /// </summary>
    [Parameter]
    public string? Path { get; set; }

    /// <summary>Replaces an existing file instead of refusing it with ClimuxExportFileExists.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    private readonly HashSet<string> _written = new(StringComparer.Ordinal);

    protected override void ProcessRecord()
    {
        var config = LoadConfig().Config;
        foreach (var reference in Id)
        {
            if (ResolveSession(reference) is not { } session)
                continue;
            var text = Engine.Sessions.Export(session, Format, config);
            if (Path is null)
            {
                WriteObject(text);
                continue;
            }
            var target = GetUnresolvedProviderPathFromPSPath(Path);
            if (Directory.Exists(target))
                target = System.IO.Path.Combine(target, $"{session.Id}.{(Format == ExportFormat.Json ? "json" : "md")}");
            if (!_written.Add(target))
            {
                WriteError(new ErrorRecord(new IOException($"'{target}' already holds another session of this export: give -Path a folder to write one file per session."),
                    ErrorIds.ExportFileExists, ErrorCategory.ResourceExists, target));
                continue;
            }
            if (File.Exists(target) && !Force)
            {
                WriteError(new ErrorRecord(new IOException($"'{target}' exists; use -Force to replace it."), ErrorIds.ExportFileExists, ErrorCategory.ResourceExists, target));
                continue;
            }
            if (!ShouldProcess(target, $"Export session {session.Id} as {Format}"))
                continue;
            try
            {
                OwnerOnly.WriteAllTextAtomic(target, text);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(new IOException($"Could not write '{target}': {e.Message}", e), ErrorIds.ExportFailed, ErrorCategory.WriteError, target));
                continue;
            }
            WriteObject(InvokeProvider.Item.Get(WildcardPattern.Escape(target)), enumerateCollection: true);
        }
    }
}
