<#
.SYNOPSIS
    The Climux walkthrough (./build.ps1 demo): feature decomposition in a scratch repository.
    Three worktrees, three agent runs in parallel, status while they run, wait, stats, the export
    of one session, then fan-in: changes, predicted conflicts, the merge queue with an agent
    resolving a conflict behind a test, a phase-2 run on its dependencies' merged work, publish. Uses a real agent CLI when one is installed and has an API key in the
    environment, else a small script that really edits and commits in each worktree.
#>
param([Parameter(Mandatory)] [string] $ModulePath, [Parameter(Mandatory)] [string] $OutFolder)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
function Step([string] $Title) { Write-Host "`n=== $Title" -ForegroundColor Cyan }
function Show([string] $Command, [scriptblock] $Block) {
    Write-Host "PS> $Command" -ForegroundColor Yellow
    & $Block | Out-Host
}

# A scratch Climux home and repository: the demo touches nothing of yours.
$scratch = Join-Path $OutFolder "run-$(Get-Date -Format 'yyyyMMdd-HHmmss')"
$env:CLIMUX_HOME = Join-Path $scratch 'climux-home'
$repo = Join-Path $scratch 'shop'
New-Item -ItemType Directory -Path $repo -Force | Out-Null
Push-Location $repo
try {
    git init -q -b main
    Set-Content README.md "# shop`n`nA tiny web shop, to show Climux."
    New-Item -ItemType Directory src | Out-Null
    Set-Content src/app.py "def main():`n    print('shop')`n"
    git add -A
    git -c user.name='Climux demo' -c user.email='demo@climux.invalid' commit -q -m 'A tiny shop'

    # A real agent when one is installed and has its API key; else the demo agent.
    $real = @(
        @{ Provider = 'claude-code'; Key = 'ANTHROPIC_API_KEY' }
        @{ Provider = 'codex'; Key = 'OPENAI_API_KEY' }
        @{ Provider = 'gemini-cli'; Key = 'GEMINI_API_KEY' }
    ) | Where-Object { [Environment]::GetEnvironmentVariable($_.Key) -and (Get-ClimuxProvider $_.Provider).Installed -and -not $env:CI } |
        Select-Object -First 1
    if ($env:CLIMUX_DEMO_AGENT -eq 'script') { $real = $null }
    if ($real) {
        $provider = $real.Provider
        $maxCost = 0.50
        Step "Using the real $provider CLI ($((Get-ClimuxProvider $provider).Version)); each run is stopped past `$$maxCost"
    }
    else {
        $provider = 'demo-agent'
        $maxCost = $null
        $process = [Environment]::ProcessPath
        $prefix = @(if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })
        Set-ClimuxConfig providers.demo-agent @{
            command = $process
            args = $prefix + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'demo-agent.ps1'), '{prompt}')
            output = 'jsonl'
        }
        Set-ClimuxConfig pricing.demo-model @{ input = 3.0; output = 15.0; cacheRead = 0.3; cacheWrite = 3.75 }
        Step 'No agent CLI with an API key here: using the demo agent (a script that edits and commits; its token counts are simulated)'
        Write-Host 'Set ANTHROPIC_API_KEY, OPENAI_API_KEY or GEMINI_API_KEY with the CLI installed to see a real agent instead.'
    }
    Set-ClimuxConfig concurrency.maxActiveSessions 3

    Step 'Feature decomposition: one worktree per feature, each on its own branch, outside the repository'
    $features = [ordered]@{
        'feature-catalog' = 'Describe the product catalog in docs/catalog.md'
        'feature-cart'    = 'Describe the shopping cart in docs/cart.md and link it from README.md'
        'feature-checkout' = 'Describe the checkout flow in docs/checkout.md and link it from README.md'
    }
    Show "`$features.Keys | New-ClimuxWorktree" { $features.Keys | New-ClimuxWorktree | Format-Table Name, Branch, Head }

    Step 'Three agent runs in parallel: each returns at once with a PowerShell job'
    $jobs = foreach ($name in $features.Keys) {
        $arguments = @{ Prompt = $features[$name]; Provider = $provider; Worktree = $name }
        if ($maxCost) { $arguments.MaxCost = $maxCost }
        Start-ClimuxRun @arguments
    }
    Show 'Get-Job' { $jobs | Format-Table Id, Name, PSJobTypeName, State, Location }

    Step 'Status while they run (from this or any other PowerShell process)'
    Start-Sleep -Milliseconds 800
    Show 'Get-ClimuxStatus' { Get-ClimuxStatus }
    Show 'Get-ClimuxSession' { Get-ClimuxSession }

    Step 'Wait for all of them'
    Show '$jobs | Wait-ClimuxSession' { $jobs | Wait-ClimuxSession -Timeout 900 }
    Show 'Get-ClimuxSession | Format-Table Id, Worktree, Branch, FilesChanged, LinesAdded' {
        Get-ClimuxSession | Format-Table Id, Worktree, Branch, FilesChanged, LinesAdded }

    Step 'What each agent did to its branch'
    foreach ($name in $features.Keys) {
        Write-Host "$($name): " -NoNewline
        git log --oneline -1 $name | Out-Host
    }
    Show 'Get-ClimuxWorktree | Format-Table Name, Branch, Head, Dirty, Ahead, TotalSessions' { Get-ClimuxWorktree | Format-Table Name, Branch, Head, Dirty, Ahead, TotalSessions }

    Step 'Usage and cost'
    Show 'Get-ClimuxStats -By Worktree' { Get-ClimuxStats -By Worktree }
    Show 'Get-ClimuxStats -By Provider' { Get-ClimuxStats -By Provider }

    Step 'The transcript of one session, exported'
    $first = Get-ClimuxSession -Worktree feature-catalog
    $export = Join-Path $scratch "session-$($first.Id).md"
    Show "Export-ClimuxSession $($first.Id) -Format Markdown -Path $export" { Export-ClimuxSession $first.Id -Format Markdown -Path $export }
    Get-Content $export | Select-Object -First 40 | Out-Host

    Step 'Fan-in: what each worktree changed against its base'
    Show 'Get-ClimuxWorktreeChange' { Get-ClimuxWorktreeChange }

    Step 'Conflicts predicted between every pair, and with main (in memory: no folder or index touched)'
    Show 'Get-ClimuxConflict' { Get-ClimuxConflict }

    Step 'The merge queue: what it would do, then merge in order into an integration worktree'
    $order = @($features.Keys)
    New-ClimuxWorktree integration | Out-Null
    Show "Merge-ClimuxWorktree $($order -join ', ') -Into integration -WhatIf" { Merge-ClimuxWorktree $order -Into integration -WhatIf }
    Show "Merge-ClimuxWorktree $($order -join ', ') -Into integration -ResolveWith $provider -Test 'git ls-files --error-unmatch docs/catalog.md'" {
        Merge-ClimuxWorktree $order -Into integration -ResolveWith $provider -Test 'git ls-files --error-unmatch docs/catalog.md' |
            Format-Table Worktree, Status, @{ n = 'Commit'; e = { $_.Commit.Substring(0, 7) } }, @{ n = 'Conflicts'; e = { $_.Conflicts -join ', ' } }, ResolutionSessionId -AutoSize }
    Show 'git -C <integration> log --oneline --graph' { git -C (Get-ClimuxWorktree integration).Path log --oneline --graph -8 }
    Show 'Get-Content <integration>/README.md' { Get-Content (Join-Path (Get-ClimuxWorktree integration).Path README.md) }

    Step 'Phase 2 on the merged work of phase 1: -DependsOn ... -MergeDependencies -ResolveConflicts'
    $phase1 = foreach ($name in $order) { (Get-ClimuxSession -Worktree $name).Id }
    New-ClimuxWorktree overview | Out-Null
    Show "Start-ClimuxRun 'Write an overview of the features in docs/overview.md' -Worktree overview -DependsOn $($phase1 -join ', ') -MergeDependencies -ResolveConflicts -Wait" {
        $arguments = @{ Prompt = 'Write an overview of the features in docs/overview.md'; Provider = $provider; Worktree = 'overview' }
        if ($maxCost) { $arguments.MaxCost = $maxCost }
        Start-ClimuxRun @arguments -DependsOn $phase1 -MergeDependencies -ResolveConflicts -Wait | Format-Table Id, Status, Worktree, FilesChanged, Error }
    Show 'Get-ChildItem <overview>/docs' { Get-ChildItem (Join-Path (Get-ClimuxWorktree overview).Path docs) -Name }

    Step 'Publish the integration branch (here to a scratch bare remote; -PullRequest opens a PR with gh)'
    $remote = Join-Path $scratch 'remote.git'
    git init -q --bare $remote
    git remote add origin $remote
    Show 'Publish-ClimuxWorktree integration' { Publish-ClimuxWorktree integration }

    Step 'Done'
    Write-Host "Agent used: $provider. Everything is in $scratch (Climux home, repository, export)."
    Write-Host 'Next: Get-Help about_Climux, and the README for the other workflows (bug-fix swarms, resume, sessions chained with -DependsOn).'
    $jobs | Remove-Job
}
finally {
    Pop-Location
}
