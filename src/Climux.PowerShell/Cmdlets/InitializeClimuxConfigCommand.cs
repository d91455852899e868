using System.Management.Automation;
using Climux.Core.Config;
using Climux.Core.Platform;

namespace Climux.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Writes a commented starter config file for the user or the current project.</para>
/// </summary>
[Cmdlet(VerbsData.Initialize, "ClimuxConfig", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class InitializeClimuxConfigCommand : ClimuxCmdlet
{
    [Parameter(Position = 0)]
    [ValidateSet(nameof(ConfigScope.User), nameof(ConfigScope.Project))]
    public ConfigScope Scope { get; set; } = ConfigScope.User;

    /// <summary>Replaces an existing file; the old one is kept beside it as <c>config.yaml.bak</c>.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void EndProcessing()
    {
        string file;
        if (Scope == ConfigScope.User)
            file = Home.ConfigFile;
        else
        {
            var workspace = WorkspaceRoot;
            if (workspace is null)
            {
                Fail(new InvalidOperationException($"'{CurrentDirectory}' is not inside a git repository. Change to the repository, or use -Scope User."),
                    ErrorIds.NotInWorkspace, ErrorCategory.ObjectNotFound, CurrentDirectory);
                return;
            }
            file = ConfigLoader.ProjectFile(workspace);
        }

        var exists = File.Exists(file);
        if (exists && !Force)
        {
            WriteError(new ErrorRecord(new IOException($"'{file}' already exists. Use -Force to replace it (the old file is kept as {Path.GetFileName(file)}.bak), or Set-ClimuxConfig to change one key."),
                ErrorIds.ConfigExists, ErrorCategory.ResourceExists, file));
            return;
        }
        if (!ShouldProcess(file, exists ? "Replace with a starter config (keeping a .bak copy)" : "Create a starter config"))
            return;

        if (Scope == ConfigScope.User)
            Home.EnsureCreated();
        else
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        if (exists)
            File.Copy(file, file + ".bak", overwrite: true);
        OwnerOnly.WriteAllTextAtomic(file, ConfigTemplate.For(Scope));
        // Through the provider, so the file shows as Get-Item would show it.
        WriteObject(InvokeProvider.Item.Get(WildcardPattern.Escape(file)), enumerateCollection: true);
    }
}
