BeforeAll {
    . $PSScriptRoot/Common.ps1
    $script:savedPath = $env:PATH
    function New-FakeCli([string] $Folder, [string] $Name, [string] $Body) {
        $path = Join-Path $Folder $Name
        Set-Content -Path $path -Value "#!/bin/sh`n$Body"
        if (-not $IsWindows) { chmod +x $path }
        return $path
    }
}
AfterAll { $env:PATH = $script:savedPath }

Describe 'Get-ClimuxProvider' -Skip:$IsWindows {
    BeforeEach {
        $script:home_ = New-TestHome
        $script:bin = Join-Path $script:home_ 'bin'
        New-Item -ItemType Directory -Path $script:bin -Force | Out-Null
        # Only our fakes (and the system's basic tools) are on PATH: no real agent CLI is asked anything.
        $env:PATH = "$script:bin$([IO.Path]::PathSeparator)/usr/bin$([IO.Path]::PathSeparator)/bin"
    }
    AfterEach { $env:PATH = $script:savedPath }

    It 'lists the built-in providers, installed or not, with the install command' {
        New-FakeCli $script:bin 'claude' "echo '2.1.197 (Claude Code)'" | Out-Null
        $providers = Get-ClimuxProvider
        $providers.Name | Should -Be @('claude-code', 'codex', 'gemini-cli', 'opencode', 'qwen-code')
        $claude = $providers | Where-Object Name -EQ 'claude-code'
        $claude.Installed | Should -BeTrue
        $claude.Version | Should -Be '2.1.197'
        $claude.Path | Should -Be (Join-Path $script:bin 'claude')
        $claude.IsDefault | Should -BeTrue
        $codex = $providers | Where-Object Name -EQ 'codex'
        $codex.Installed | Should -BeFalse
        $codex.InstallCommand | Should -Be 'npm install -g @openai/codex'
    }

    It 'includes command providers declared in config and honours providers.NAME.command' {
        $fake = New-FakeCli $script:bin 'my-codex-build' "echo 'codex-cli 0.169.0'"
        Set-ClimuxConfig providers.codex.command $fake
        Set-ClimuxConfig providers.my-agent.command (New-FakeCli $script:bin 'aider' "echo 'aider 0.86.1'")
        $codex = Get-ClimuxProvider codex
        $codex.Version | Should -Be '0.169.0'
        $codex.Path | Should -Be $fake
        $mine = Get-ClimuxProvider my-*
        $mine.Kind | Should -Be 'Command'
        $mine.Version | Should -Be '0.86.1'
    }

    It 'gives up on a CLI that never answers, says so, and does not ask again' {
        $marker = Join-Path $script:home_ 'asked'
        New-FakeCli $script:bin 'gemini' "echo asked >> '$marker'; exec sleep 60" | Out-Null
        $gemini = Get-ClimuxProvider gemini-cli -Timeout 1
        $gemini.Installed | Should -BeTrue
        $gemini.Version | Should -BeNullOrEmpty
        $gemini.Note | Should -Match 'did not answer within 1 s'
        (Get-ClimuxProvider gemini-cli -Timeout 1).Note | Should -Match 'did not answer'
        @(Get-Content $marker).Count | Should -Be 1
        Get-ClimuxProvider gemini-cli -Timeout 1 -Refresh | Out-Null
        @(Get-Content $marker).Count | Should -Be 2
    }

    It 'reports an unknown name with an error id' {
        Get-ClimuxProvider nope -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxProviderNotFound,*'
    }

    It 'has a readable ToString' {
        New-FakeCli $script:bin 'opencode' "echo 1.18.33" | Out-Null
        "$(Get-ClimuxProvider opencode)" | Should -Be 'opencode 1.18.33'
        "$(Get-ClimuxProvider codex)" | Should -Be 'codex (not installed)'
    }
}
