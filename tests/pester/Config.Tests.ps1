BeforeAll { . $PSScriptRoot/Common.ps1 }

Describe 'Get-ClimuxConfig' {
    BeforeEach { $script:home_ = New-TestHome }

    It 'shows the defaults, each from the Default scope' {
        $entries = Get-ClimuxConfig
        ($entries | Where-Object Key -EQ 'concurrency.maxActiveSessions').Value | Should -Be 5
        ($entries | Where-Object Key -EQ 'defaultProvider').Value | Should -Be 'claude-code'
        $entries.Scope | Sort-Object -Unique | Should -Be 'Default'
    }

    It 'filters by wildcard and by section name' {
        (Get-ClimuxConfig 'concurrency.*').Key | Should -Be @('concurrency.maxActiveSessions', 'concurrency.maxSessionsPerWorkspace')
        (Get-ClimuxConfig concurrency).Count | Should -Be 2
        (Get-ClimuxConfig monitoring.alertThreshold).Value | Should -Be 0.8
    }

    It 'reports an unknown key with an error id' {
        Get-ClimuxConfig concurrency.maxActive -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxConfigKeyInvalid,*'
        $err[0].Exception.Message | Should -Match "did you mean 'maxActiveSessions'"
    }

    It 'refuses an invalid file, naming its path, line, column and key' {
        New-Item -ItemType Directory -Path $script:home_ -Force | Out-Null
        Set-Content -Path (Join-Path $script:home_ 'config.yaml') -Value "concurrency:`n  maxActiveSessions: lots`n"
        $e = { Get-ClimuxConfig } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'ClimuxConfigInvalid,*'
        $e.Exception.Message | Should -Match ([regex]::Escape((Join-Path $script:home_ 'config.yaml')))
        $e.Exception.Message | Should -Match 'line 2, column 22'
        $e.Exception.Message | Should -Match "key 'concurrency.maxActiveSessions'"
        $e.TargetObject | Should -Be (Join-Path $script:home_ 'config.yaml')
    }

    It 'honours a relative CLIMUX_HOME against the current location' {
        $base = Join-Path $script:TestRoot "climux-rel-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        New-Item -ItemType Directory -Path $base | Out-Null
        Push-Location $base
        try {
            $env:CLIMUX_HOME = 'relhome'
            Set-ClimuxConfig defaultProvider codex
            Test-Path (Join-Path $base 'relhome/config.yaml') | Should -BeTrue
        }
        finally { Pop-Location }
    }
}

Describe 'Initialize-ClimuxConfig' {
    BeforeEach { $script:home_ = New-TestHome }

    It 'writes a commented starter file, owner-only, in an owner-only folder' {
        $file = Initialize-ClimuxConfig
        $file.FullName | Should -Be (Join-Path $script:home_ 'config.yaml')
        Get-Content -Raw $file | Should -Match '# Climux user configuration'
        if (-not $IsWindows) {
            Get-UnixMode $file | Should -Be '600'
            Get-UnixMode $script:home_ | Should -Be '700'
        }
        (Get-ClimuxConfig concurrency.maxActiveSessions).Scope | Should -Be 'User'
    }

    It 'changes nothing with -WhatIf' {
        Initialize-ClimuxConfig -WhatIf
        Test-Path (Join-Path $script:home_ 'config.yaml') | Should -BeFalse
    }

    It 'refuses to replace a file without -Force, and keeps a backup with it' {
        Initialize-ClimuxConfig | Out-Null
        Set-ClimuxConfig defaultProvider codex
        Initialize-ClimuxConfig -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxConfigExists,*'
        Initialize-ClimuxConfig -Force | Out-Null
        (Get-ClimuxConfig defaultProvider).Value | Should -Be 'claude-code'
        Get-Content -Raw (Join-Path $script:home_ 'config.yaml.bak') | Should -Match 'defaultProvider: codex'
    }

    It 'writes a project file that overrides nothing until edited' {
        $repo = New-TestRepo
        Push-Location $repo
        try {
            $file = Initialize-ClimuxConfig -Scope Project
            $file.FullName | Should -Be (Join-Path $repo '.climux/config.yaml')
            (Get-ClimuxConfig -Scope Project) | Should -BeNullOrEmpty
        }
        finally { Pop-Location }
    }

    It 'says when the current folder has no project' {
        $plain = Join-Path $script:TestRoot "climux-plain-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        New-Item -ItemType Directory -Path $plain | Out-Null
        Push-Location $plain
        try {
            $e = { Initialize-ClimuxConfig -Scope Project } | Should -Throw -PassThru
            $e.FullyQualifiedErrorId | Should -BeLike 'ClimuxNotInWorkspace,*'
        }
        finally { Pop-Location }
    }
}

Describe 'Set-ClimuxConfig' {
    BeforeEach { $script:home_ = New-TestHome }

    It 'sets values of every kind and Get-ClimuxConfig shows where they came from' {
        Initialize-ClimuxConfig | Out-Null
        Set-ClimuxConfig concurrency.maxActiveSessions 7
        Set-ClimuxConfig monitoring.maxDailyBudget 12.5
        Set-ClimuxConfig worktrees.copy @('.env', '.env.local')
        Set-ClimuxConfig providers.my-agent @{ command = 'aider'; args = @('--yes', '{prompt}'); output = 'text' }
        Set-ClimuxConfig pricing.gpt-5.1.input 1.25

        $entry = Get-ClimuxConfig concurrency.maxActiveSessions
        $entry.Value | Should -Be 7
        $entry.Scope | Should -Be 'User'
        $entry.Path | Should -Be (Join-Path $script:home_ 'config.yaml')
        (Get-ClimuxConfig monitoring.maxDailyBudget).Value | Should -Be 12.5
        (Get-ClimuxConfig worktrees.copy).Value | Should -Be @('.env', '.env.local')
        (Get-ClimuxConfig providers.my-agent.args).Value | Should -Be @('--yes', '{prompt}')
        (Get-ClimuxConfig pricing.gpt-5.1.input).Value | Should -Be 1.25
        Get-Content -Raw (Join-Path $script:home_ 'config.yaml') | Should -Match '# running sessions at once on this machine'
    }

    It 'refuses a value of the wrong type with an error id, leaving the file alone' {
        Set-ClimuxConfig concurrency.maxActiveSessions 4
        $before = Get-Content -Raw (Join-Path $script:home_ 'config.yaml')
        $e = { Set-ClimuxConfig concurrency.maxActiveSessions many } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'ClimuxConfigValueInvalid,*'
        $e.Exception.Message | Should -Match 'whole number'
        Get-Content -Raw (Join-Path $script:home_ 'config.yaml') | Should -Be $before
    }

    It 'refuses an unknown key' {
        $e = { Set-ClimuxConfig concurency.maxActiveSessions 3 } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'ClimuxConfigKeyInvalid,*'
        $e.Exception.Message | Should -Match "did you mean 'concurrency'"
    }

    It 'supports -WhatIf, -PassThru and -Remove' {
        Set-ClimuxConfig defaultProvider codex -WhatIf
        (Get-ClimuxConfig defaultProvider).Scope | Should -Be 'Default'
        $out = Set-ClimuxConfig defaultProvider codex -PassThru
        $out.Value | Should -Be 'codex'
        Set-ClimuxConfig defaultProvider -Remove
        (Get-ClimuxConfig defaultProvider).Value | Should -Be 'claude-code'
    }

    It 'writes the project file, which overrides the user file key by key' {
        Set-ClimuxConfig concurrency.maxActiveSessions 9
        Set-ClimuxConfig concurrency.maxSessionsPerWorkspace 4
        $repo = New-TestRepo
        Push-Location $repo
        try {
            Set-ClimuxConfig concurrency.maxSessionsPerWorkspace 2 -Scope Project
            (Get-ClimuxConfig concurrency.maxActiveSessions) | Should -Match 'concurrency.maxActiveSessions = 9'
            $perWorkspace = Get-ClimuxConfig concurrency.maxSessionsPerWorkspace
            $perWorkspace.Value | Should -Be 2
            $perWorkspace.Scope | Should -Be 'Project'
            $perWorkspace.Path | Should -Be (Join-Path $repo '.climux/config.yaml')
            # A linked worktree of the same repository sees the same project config.
            $linked = Join-Path (Split-Path $repo) 'linked'
            git -C $repo worktree add -q -b linked $linked 2>&1 | Out-Null
            Set-Location $linked
            (Get-ClimuxConfig concurrency.maxSessionsPerWorkspace).Value | Should -Be 2
        }
        finally { Pop-Location }
        (Get-ClimuxConfig concurrency.maxSessionsPerWorkspace).Value | Should -Be 4
    }

    It 'refuses, in a project config, the keys that choose what runs' {
        $repo = New-TestRepo
        Push-Location $repo
        try {
            $e = { Set-ClimuxConfig providers.claude-code.command ./tool.sh -Scope Project } | Should -Throw -PassThru
            $e.FullyQualifiedErrorId | Should -BeLike 'ClimuxConfigValueInvalid,*'
            $e.Exception.Message | Should -Match 'user config'
            Set-ClimuxConfig providers.claude-code.model claude-sonnet-4-5 -Scope Project
            (Get-ClimuxConfig providers.claude-code.model).Scope | Should -Be 'Project'
        }
        finally { Pop-Location }
    }

    It 'lets a cloned repository lower the limits but not raise them, set prices or move worktrees, and says why' {
        Set-ClimuxConfig concurrency.maxActiveSessions 1
        Set-ClimuxConfig monitoring.maxDailyBudget 1
        $repo = New-TestRepo
        New-Item -ItemType Directory (Join-Path $repo '.climux') | Out-Null
        Set-Content (Join-Path $repo '.climux/config.yaml') @"
concurrency: { maxActiveSessions: 50, maxSessionsPerWorkspace: 1 }
monitoring: { maxDailyBudget: 0 }
pricing: { claude-opus-4-8: { input: 0, output: 0 } }
worktrees: { root: /tmp/elsewhere }
"@
        Push-Location $repo
        try {
            $entries = Get-ClimuxConfig -WarningVariable warnings -WarningAction SilentlyContinue
            $warnings.Count | Should -Be 4
            ($warnings -join "`n") | Should -Match 'maxActiveSessions: 50.*only lower'
            ($warnings -join "`n") | Should -Match "'pricing' is yours to set"
            $active = $entries | Where-Object Key -EQ 'concurrency.maxActiveSessions'
            ($active.Value, $active.Scope) | Should -Be @(1, 'User')
            $active.Reason | Should -Match 'project.*50 was ignored'
            $perWorkspace = $entries | Where-Object Key -EQ 'concurrency.maxSessionsPerWorkspace'
            ($perWorkspace.Value, $perWorkspace.Scope) | Should -Be @(1, 'Project')
            $perWorkspace.Reason | Should -Match 'lowers it from 3'
            ($entries | Where-Object Key -EQ 'monitoring.maxDailyBudget').Value | Should -Be 1
            $entries | Where-Object Key -Like 'pricing.*' | Should -BeNullOrEmpty
            ($entries | Where-Object Key -EQ 'worktrees.root') | Should -BeNullOrEmpty
            (Get-ClimuxStatus -WarningAction SilentlyContinue).MaxActiveSessions | Should -Be 1
            $e = { Set-ClimuxConfig pricing.my-model.input 0 -Scope Project } | Should -Throw -PassThru
            $e.FullyQualifiedErrorId | Should -BeLike 'ClimuxConfigValueInvalid,*'
        }
        finally { Pop-Location }
    }

    It 'never shows an API key in -WhatIf' {
        # What-if text goes to the host, not to a stream: read it from a fresh pwsh's output.
        $out = Invoke-FreshPwsh -Script 'Set-ClimuxConfig providers.codex.env.OPENAI_API_KEY sk-very-secret-value -WhatIf' -Environment @{ CLIMUX_HOME = $script:home_ } | Out-String
        $out | Should -Match "What if: .*Set 'providers.codex.env.OPENAI_API_KEY' to \*+"
        $out | Should -Not -Match 'sk-very-secret-value'
    }

    It 'masks provider environment values when showing them' {
        Set-ClimuxConfig providers.codex.env @{ OPENAI_API_KEY = 'sk-very-secret' }
        $entry = Get-ClimuxConfig providers.codex.env.OPENAI_API_KEY
        $entry.Value | Should -Not -Match 'sk-very-secret'
        (Get-ClimuxConfig | Out-String) | Should -Not -Match 'sk-very-secret'
    }
}

Describe 'Tab completion' {
    BeforeEach { $script:home_ = New-TestHome }

    It 'completes config keys' {
        $result = TabExpansion2 -inputScript 'Set-ClimuxConfig concurrency.max' -cursorColumn 'Set-ClimuxConfig concurrency.max'.Length
        $result.CompletionMatches.CompletionText | Should -Contain 'concurrency.maxActiveSessions'
    }

    It 'completes provider names, including declared commands' {
        Set-ClimuxConfig providers.my-agent.command aider
        $result = TabExpansion2 -inputScript 'Get-ClimuxProvider my' -cursorColumn 'Get-ClimuxProvider my'.Length
        $result.CompletionMatches.CompletionText | Should -Be @('my-agent')
    }
}
