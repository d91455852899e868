@{
    RootModule           = 'Climux.PowerShell.dll'
    # Loaded before the cmdlets: puts Climux.Core and its libraries in the module's own load context.
    NestedModules        = @('Climux.PowerShell.Hosting.dll')
    # Stamped by build.ps1 from Directory.Build.props, the one version source.
    ModuleVersion        = '0.0.0'
    GUID                 = '50c8ef73-4380-4603-ba58-96902a62e6e7'
    Author               = 'Climux developers'
    CompanyName          = 'Climux'
    Copyright            = '(c) Climux developers. MIT License.'
    Description          = 'Runs AI coding agents (Claude Code, Codex CLI, Gemini CLI, OpenCode or any command) in parallel, one task per git worktree, with sessions, resume, export, cost accounting, quotas and budgets shared by every PowerShell process on the machine.'
    # The lowest PowerShell it is tested on (the pwsh of .config/dotnet-tools.json).
    PowerShellVersion    = '7.6'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('Climux.format.ps1xml')
    CmdletsToExport      = @(
        'Get-ClimuxConfig'
        'Set-ClimuxConfig'
        'Initialize-ClimuxConfig'
        'Get-ClimuxProvider'
        'Start-ClimuxRun'
        'Get-ClimuxSession'
        'Wait-ClimuxSession'
        'Stop-ClimuxSession'
        'Remove-ClimuxSession'
        'Resume-ClimuxSession'
        'Get-ClimuxSessionLog'
        'Export-ClimuxSession'
        'Get-ClimuxStatus'
        'Get-ClimuxStats'
        'Test-ClimuxStore'
        'Copy-ClimuxStore'
        'New-ClimuxWorktree'
        'Get-ClimuxWorktree'
        'Remove-ClimuxWorktree'
        'Get-ClimuxWorktreeChange'
        'Get-ClimuxConflict'
        'Merge-ClimuxWorktree'
        'Publish-ClimuxWorktree'
        'Get-ClimuxRoute'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('AI', 'Agents', 'ClaudeCode', 'Codex', 'Gemini', 'OpenCode', 'git', 'worktree', 'parallel', 'PSEdition_Core', 'Linux', 'MacOS', 'Windows')
            ProjectUri   = 'https://github.com/climux/climux'
            LicenseUri   = 'https://github.com/climux/climux/blob/main/LICENSE'
            ReleaseNotes = @'
First release.
- Runs Claude Code, Codex CLI, Gemini CLI, OpenCode or any command as agents, one task per git worktree, as PowerShell jobs.
- Every run is a session in a SQLite store shared by every PowerShell process: live status, resume, export (Markdown, JSON; keys redacted), tokens and cost.
- Concurrency quotas and a daily budget that hold across processes; a FIFO queue instead of polling.
- Worktrees with libgit2: New-, Get-, Remove-ClimuxWorktree.
- Its libraries (YamlDotNet, SQLite, LibGit2Sharp, ...) load in the module's own AssemblyLoadContext, so other modules' versions of them do not clash.
'@
        }
    }
}
