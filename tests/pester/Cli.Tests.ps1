BeforeAll {
    . $PSScriptRoot/Common.ps1
    $script:Climux = Join-Path $script:RepoRoot 'out/bin/climux'
    # climux, in the current repository with the test's CLIMUX_HOME; stdout parsed as JSON when asked.
    function Invoke-Climux {
        $output = & $script:Climux @args 2>$null
        $script:ClimuxExit = $LASTEXITCODE
        return $output
    }
}
AfterAll { Set-Location $script:RepoRoot }

Describe 'The climux command and the module share one store' {
    BeforeAll { New-RunFixture }

    It 'a run started by climux is listed, waited on and resumed by the cmdlets' {
        $started = Invoke-Climux run 'from the command line' --provider claude-code --json | ConvertFrom-Json
        $script:ClimuxExit | Should -Be 0
        $session = Get-ClimuxSession $started.sessionId
        $session.Status | Should -Be 'Completed'
        $session.Provider | Should -Be 'claude-code'
        (Wait-ClimuxSession $started.sessionId -Timeout 60).Status | Should -Be 'Completed'
        $resumed = Resume-ClimuxSession $started.sessionId -Prompt 'and from pwsh' -Wait
        $resumed.Status | Should -Be 'Completed'
        $resumed.ParentId | Should -Be $started.sessionId
        $resumed.Result | Should -Match 'turn=2'
    }

    It 'a run started by the cmdlets is listed, shown and resumed by climux' {
        $session = Start-ClimuxRun 'from pwsh' -Provider codex -Wait
        $listed = Invoke-Climux session list --json | ConvertFrom-Json
        $listed.sessionId | Should -Contain $session.Id
        (Invoke-Climux session show $session.Id --json | ConvertFrom-Json).status | Should -Be 'Completed'
        $resumed = Invoke-Climux session resume $session.Id 'and from climux' --json | ConvertFrom-Json
        $script:ClimuxExit | Should -Be 0
        $resumed.parentId | Should -Be $session.Id
        $resumed.result | Should -Match 'turn=2'
        (Get-ClimuxSession $resumed.sessionId).Status | Should -Be 'Completed'
    }

    It 'climux config set is what Get-ClimuxStatus reads' {
        Invoke-Climux config set concurrency.maxActiveSessions 4 | Out-Null
        $script:ClimuxExit | Should -Be 0
        (Get-ClimuxStatus).MaxActiveSessions | Should -Be 4
        (Invoke-Climux status --json | ConvertFrom-Json).maxActiveSessions | Should -Be 4
    }
}

Describe 'Cmdlet output as JSON' {
    BeforeAll { New-RunFixture }

    It 'Get-ClimuxStats | ConvertTo-Json has the grouping as text and durations as seconds' {
        Start-ClimuxRun 'for the stats' -Provider claude-code -Wait | Out-Null
        $json = Get-ClimuxStats | ConvertTo-Json -Depth 3
        $json | Should -Not -Match '"By":\s*0'
        $row = @($json | ConvertFrom-Json)[0]
        $row.By | Should -Be 'Provider'
        $row.TotalDurationSeconds | Should -BeGreaterThan 0
        $row.PSObject.Properties.Name | Should -Not -Contain 'TotalDuration'
    }

    It 'Get-ClimuxSession | ConvertTo-Json has the duration in seconds, as a number' {
        $session = Start-ClimuxRun 'for the duration' -Provider claude-code -Wait
        $json = Get-ClimuxSession $session.Id | ConvertTo-Json | ConvertFrom-Json
        $json.Duration | Should -BeOfType [double]
        $json.Duration | Should -BeGreaterThan 0
        $json.Duration | Should -Be $session.Duration
    }
}
