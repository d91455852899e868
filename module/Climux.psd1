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
        'New-ClimuxWorktree'
        'Get-ClimuxWorktree'
        'Remove-ClimuxWorktree'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('AI', 'Agents', 'ClaudeCode', 'Codex', 'Gemini', 'OpenCode', 'git', 'worktree', 'PSEdition_Core')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
