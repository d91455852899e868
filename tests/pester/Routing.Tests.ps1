BeforeAll {
    . $PSScriptRoot/Common.ps1
    # Adds YAML to the user config that Set-FakeProviders wrote.
    function Add-UserConfig([string] $Yaml) { Add-Content -Path (Join-Path $env:CLIMUX_HOME 'config.yaml') -Value $Yaml }
}
AfterAll { Set-Location $script:RepoRoot; Get-Job | Where-Object PSJobTypeName -EQ 'ClimuxRun' | Remove-Job -Force }

Describe 'Routing, fallback, presets, workspace aliases and retention (fake agents replaying real output)' {
    BeforeEach {
        New-RunFixture
        Add-UserConfig @"
defaultProvider: opencode
routing:
  - { pattern: 'frontend|react', provider: gemini-cli }
  - { pattern: '\bdocs?\b', provider: codex }
fallbackOrder: [codex, claude-code, gemini-cli]
fallback: { afterRetries: 2 }
presets:
  review: { provider: codex, mode: Plan, timeout: 600 }
workspaces:
  shop: '$($script:repo)'
"@
    }

    It 'routes runs without -Provider by their prompts, and Get-ClimuxRoute says why' {
        $route = Get-ClimuxRoute 'Fix the React header'
        $route.Provider | Should -Be 'gemini-cli'
        $route.Source | Should -Be 'Rule'
        $route.Pattern | Should -Be 'frontend|react'
        $route.Reason | Should -Match 'rule 1'
        (Get-ClimuxRoute 'Nothing special').Source | Should -Be 'DefaultProvider'
        $route.PSObject.TypeNames | Should -Contain 'Climux.Core.Routing.ClimuxRoute'

        $sessions = 'Restyle the frontend', 'Update the docs', 'Plain work' | ForEach-Object { Start-ClimuxRun $_ -Wait }
        $sessions.Provider | Should -Be @('gemini-cli', 'codex', 'opencode')
        $sessions.Status | Should -Be @('Completed', 'Completed', 'Completed')
    }

    It 'a project adds rules ahead of the users, and a rule naming an unknown provider is ignored with a warning' {
        New-Item -ItemType Directory (Join-Path $script:repo '.climux') -Force | Out-Null
        Set-Content (Join-Path $script:repo '.climux/config.yaml') "routing:`n  - { pattern: 'react', provider: claude-code }`n  - { pattern: 'x', provider: evil }`n"
        $route = Get-ClimuxRoute 'Fix the React header' -WarningVariable warnings -WarningAction SilentlyContinue
        $route.Provider | Should -Be 'claude-code'
        ($warnings -join "`n") | Should -Match 'evil'
    }

    It 'a codex run that hits 429 completes on the next provider, with FallbackOf and the first Error naming the rate limit' {
        $final = Start-ClimuxRun 'Say hi [[rate-limit:codex]]' -Provider codex -Wait -WarningVariable warnings -WarningAction SilentlyContinue
        $final.Provider | Should -Be 'claude-code'
        $final.Status | Should -Be 'Completed'
        $final.FallbackOf | Should -Not -BeNullOrEmpty
        $first = Get-ClimuxSession $final.FallbackOf
        $first.Provider | Should -Be 'codex'
        $first.Status | Should -Be 'Failed'
        $first.Error | Should -Match 'Rate limited.*429'
        ($warnings -join "`n") | Should -Match "goes on as session $($final.Id)"
    }

    It 'the job of a run that falls back outputs the final session' {
        $job = Start-ClimuxRun 'Say hi [[rate-limit:codex]]' -Provider codex
        $final = $job | Wait-Job -Timeout 60 | Receive-Job -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $final.Provider | Should -Be 'claude-code'
        $final.FallbackOf | Should -Be $job.SessionId
    }

    It 'a claude-code run that keeps retrying 429 is stopped after fallback.afterRetries and falls back' {
        $started = Get-Date
        $final = Start-ClimuxRun 'Say hi [[rate-limit:claude]]' -Provider claude-code -Wait -WarningAction SilentlyContinue
        $final.Provider | Should -Be 'gemini-cli'
        $final.Status | Should -Be 'Completed'
        (Get-ClimuxSession $final.FallbackOf).Error | Should -Match 'Rate limited.*after 2 attempts'
        ((Get-Date) - $started).TotalSeconds | Should -BeLessThan 30
    }

    It '-NoFallback ends the run Failed with the rate limit' {
        $s = Start-ClimuxRun 'Say hi [[rate-limit:codex]]' -Provider codex -NoFallback -Wait -ErrorAction SilentlyContinue -ErrorVariable failures
        $s.Provider | Should -Be 'codex'
        $s.Status | Should -Be 'Failed'
        $s.Error | Should -Match 'Rate limited'
        $failures[0].FullyQualifiedErrorId | Should -Match '^ClimuxRunFailed'
    }

    It 'a provider that is not installed falls back to the next one with a warning' {
        Set-ClimuxConfig providers.codex.command (Join-Path $env:CLIMUX_HOME 'no-such-codex')
        $s = Start-ClimuxRun 'Say hi' -Provider codex -Wait -WarningVariable warnings -WarningAction SilentlyContinue
        $s.Provider | Should -Be 'claude-code'
        $s.Status | Should -Be 'Completed'
        ($warnings -join "`n") | Should -Match 'not installed.*Falling back to claude-code'
        { Start-ClimuxRun 'Say hi' -Provider codex -NoFallback -ErrorAction Stop } | Should -Throw -ErrorId 'ClimuxProviderNotInstalled*'
    }

    It 'a preset sets provider and mode; explicit parameters win' {
        $s = Start-ClimuxRun 'Look at it' -Preset review -Wait
        ($s.Provider, $s.Mode, $s.Options.TimeoutSeconds) | Should -Be @('codex', 'Plan', 600)
        $t = Start-ClimuxRun 'Look at it' -Preset review -Provider claude-code -Mode Task -Wait
        ($t.Provider, $t.Mode) | Should -Be @('claude-code', 'Task')
        { Start-ClimuxRun 'x' -Preset nope -ErrorAction Stop } | Should -Throw -ErrorId 'ClimuxPresetNotFound*'
        $completions = TabExpansion2 -inputScript 'Start-ClimuxRun x -Preset re' -cursorColumn 'Start-ClimuxRun x -Preset re'.Length
        $completions.CompletionMatches.CompletionText | Should -Be @('review')
    }

    It '-Workspace @alias works from outside the repository' {
        Set-Location ([IO.Path]::GetTempPath())
        $s = Start-ClimuxRun 'Plain work' -Workspace '@shop' -Wait
        $s.Workspace | Should -Be $script:repo
        $s.Directory | Should -Be $script:repo
        (Get-ClimuxSession -Workspace '@shop').Id | Should -Contain $s.Id
        (Get-ClimuxStats -By Workspace -Workspace '@shop').Key | Should -Be @($script:repo)
        { Get-ClimuxSession -Workspace '@nope' } | Should -Throw -ErrorId 'ClimuxWorkspaceAliasNotFound*'
        Start-ClimuxRun 'x' -Workspace '@nope' -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Match '^ClimuxWorkspaceAliasNotFound'
    }

    It 'Remove-ClimuxSession -OlderThan 0 empties the finished history, with -WhatIf first' {
        1..2 | ForEach-Object { Start-ClimuxRun "run $_" -Provider codex -Wait | Out-Null }
        $ids = (Get-ClimuxSession).Id
        Remove-ClimuxSession -OlderThan 0 -WhatIf
        (Get-ClimuxSession).Count | Should -Be 2
        Remove-ClimuxSession -OlderThan 0 -Confirm:$false
        Get-ClimuxSession | Should -BeNullOrEmpty
        foreach ($id in $ids) { Join-Path $env:CLIMUX_HOME "logs/$id.out.log" | Should -Not -Exist }
    }
}
