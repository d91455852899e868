using System.Management.Automation;
using Climux.Core.Export;
using Climux.Core.Platform;
using Climux.PowerShell.Completion;

namespace Climux.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Exports a session (its details, transcript, usage and cost) as Markdown or JSON, with API keys redacted.</para>
/// </summary>
[Cmdlet(VerbsData.Export, "ClimuxSession", SupportsShouldProcess = true)]
[OutputType(typeof(string), typeof(FileInfo))]
public sealed class ExportClimuxSessionCommand : ClimuxCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SessionReference]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    public string[] Id { get; set; } = [];

    [Parameter]
    public ExportFormat Format { get; set; } = ExportFormat.Markdown;

    /// <summary>A file to write (or a folder, for one file per session named after its id); without it the text is output.</summary>
    [Parameter]
    public string? Path { get; set; }

    /// <summary>Replaces an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var repository = Sessions();
        var config = LoadConfig().Config;
        var exporter = new SessionExporter(new SecretRedactor(config.Providers.Values.SelectMany(p => p.Env.Values)));
        foreach (var reference in Id)
        {
            if (ResolveSession(repository, reference) is not { } session)
                continue;
            var text = exporter.Export(session, repository.Events(session.Id), Format);
            if (Path is null)
            {
                WriteObject(text);
                continue;
            }
            var target = GetUnresolvedProviderPathFromPSPath(Path);
            if (Directory.Exists(target))
                target = System.IO.Path.Combine(target, $"{session.Id}.{(Format == ExportFormat.Json ? "json" : "md")}");
            if (File.Exists(target) && !Force)
            {
                WriteError(new ErrorRecord(new IOException($"'{target}' exists; use -Force to replace it."), "ClimuxExportFileExists", ErrorCategory.ResourceExists, target));
                continue;
            }
            if (!ShouldProcess(target, $"Export session {session.Id} as {Format}"))
                continue;
            OwnerOnly.WriteAllTextAtomic(target, text);
            WriteObject(InvokeProvider.Item.Get(WildcardPattern.Escape(target)), enumerateCollection: true);
        }
    }
}
