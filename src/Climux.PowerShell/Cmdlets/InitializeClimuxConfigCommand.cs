using System.Management.Automation;
using Climux.Core.Config;

namespace Climux.PowerShell.Cmdlets;

/// <summary>Writes a commented starter config file for the user or for the current project.</summary>
/// <remarks>
/// <para>With -Scope User (the default) it writes $CLIMUX_HOME/config.yaml, creating CLIMUX_HOME and
/// its logs folder readable by you only. The user file spells out the default value of the main keys
/// with a comment on each, so Set-ClimuxConfig can later change them in place. With -Scope Project it
/// writes .climux/config.yaml at the top of the git repository of the current location, with every
/// key commented out, since each key set there overrides the user's.</para>
/// <para>It outputs the file it wrote (a FileInfo). An existing file is left alone with a
/// non-terminating ClimuxConfigExists error unless -Force, which replaces it and keeps the old one
/// beside it as config.yaml.bak. The existing file is not read, so -Force also replaces one that
/// Get-ClimuxConfig reports as invalid. -Scope Project outside a git repository is a terminating
/// ClimuxNotInWorkspace error. -WhatIf and -Confirm are supported.</para>
/// </remarks>
/// <example>
/// <code>Initialize-ClimuxConfig</code>
/// <para>Writes a commented ~/.climux/config.yaml (or under CLIMUX_HOME when it is set) and outputs the file.</para>
/// </example>
/// <example>
/// <code>Set-Location ~/src/webapp
/// Initialize-ClimuxConfig -Scope Project</code>
/// <para>Writes .climux/config.yaml at the top of the webapp repository, for settings the whole team shares once it is committed.</para>
/// </example>
/// <example>
/// <code>Initialize-ClimuxConfig -Force</code>
/// <para>Replaces the user config with a fresh starter file; the old one is kept as config.yaml.bak.</para>
/// </example>
/// <example>
/// <code>try { Initialize-ClimuxConfig -ErrorAction Stop } catch { $_.FullyQualifiedErrorId }</code>
/// <para>Prints ClimuxConfigExists,Climux.PowerShell.Cmdlets.InitializeClimuxConfigCommand when the file is already there.</para>
/// </example>
[Cmdlet(VerbsData.Initialize, "ClimuxConfig", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class InitializeClimuxConfigCommand : ClimuxCmdlet
{
    /// <summary>
    /// Which file to write: User ($CLIMUX_HOME/config.yaml, the default) or Project (.climux/config.yaml
    /// at the top of the current git repository).
    /// </summary>
    [Parameter(Position = 0)]
    [ValidateSet(nameof(ConfigScope.User), nameof(ConfigScope.Project))]
    public ConfigScope Scope { get; set; } = ConfigScope.User;

    /// <summary>
    /// Replaces an existing file; the old one is kept beside it as <c>config.yaml.bak</c>, replacing any
    /// earlier backup. Without -Force an existing file is left alone (ClimuxConfigExists).
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void EndProcessing()
    {
        var file = ConfigFilePath(Scope);

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
        if (exists)
            File.Copy(file, file + ".bak", overwrite: true);
        ConfigFileEditor.Write(file, ConfigTemplate.For(Scope), Scope);
        // Through the provider, so the file shows as Get-Item would show it.
        WriteObject(InvokeProvider.Item.Get(WildcardPattern.Escape(file)), enumerateCollection: true);
    }
}
