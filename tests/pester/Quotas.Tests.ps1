BeforeAll {
    . $PSScriptRoot/Common.ps1

    # Starts a fresh pwsh running $Script (with the module imported) in $Directory; returns the process.
    function Start-Pwsh([string] $Script, [string] $Directory, [string] $Name) {
        $pwsh = @(Get-PwshCommand)
        $file = Join-Path $env:CLIMUX_HOME "$Name.ps1"
        Set-Content $file "`$ErrorActionPreference = 'Stop'; Import-Module '$script:ModulePath'; $Script"
        Start-Process -FilePath $pwsh[0] -ArgumentList (@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $file)) `
            -WorkingDirectory $Directory -PassThru `
            -RedirectStandardOutput (Join-Path $env:CLIMUX_HOME "$Name.out") -RedirectStandardError (Join-Path $env:CLIMUX_HOME "$Name.err")
    }

    # The most agents that ran at the same moment, from the fake agents' own start and end times.
    function Get-MaxConcurrency($Invocations) {
        $edges = foreach ($i in $Invocations) {
            if ($i.event -eq 'start') { [pscustomobject]@{ At = [long]$i.at; Delta = 1 } }
            elseif ($i.event -eq 'end') { [pscustomobject]@{ At = [long]$i.at; Delta = -1 } }
        }
        $now = 0; $max = 0
        foreach ($edge in $edges | Sort-Object At, Delta) { $now += $edge.Delta; if ($now -gt $max) { $max = $now } }
        $max
    }
}
AfterAll { Set-Location $script:RepoRoot; Get-Job | Where-Object PSJobTypeName -EQ 'ClimuxRun' | Remove-Job -Force }

Describe 'Quotas across processes' {
    BeforeEach {
        New-TestHome | Out-Null
        Set-FakeProviders
    }

    It 'holds 8 processes x 25 runs to 3 at once and 2 per workspace, losing no row' {
        Set-ClimuxConfig concurrency.maxActiveSessions 3
        Set-ClimuxConfig concurrency.maxSessionsPerWorkspace 2
        $repos = @((New-TestRepo 'alpha'), (New-TestRepo 'beta'))
        $processes = 1..8 | ForEach-Object {
            $repo = $repos[$_ % 2]
            Start-Pwsh -Name "stress$_" -Directory $repo -Script "1..25 | ForEach-Object { Start-ClimuxRun ""stress $_ run `$_ [[sleep:40]]"" -Provider fake-text } | Wait-Job | Receive-Job | ForEach-Object { `$_.Id + ' ' + `$_.Status }"
        }
        $processes | Wait-Process -Timeout 600
        $processes.ExitCode | Sort-Object -Unique | Should -Be 0

        $lines = 1..8 | ForEach-Object { Get-Content (Join-Path $env:CLIMUX_HOME "stress$_.out") }
        $lines.Count | Should -Be 200
        ($lines | ForEach-Object { ($_ -split ' ')[1] } | Sort-Object -Unique) | Should -Be 'Completed'
        $errors = 1..8 | ForEach-Object { Get-Content (Join-Path $env:CLIMUX_HOME "stress$_.err") -Raw }
        ($errors -join '') | Should -Not -Match 'locked'

        $sessions = Get-ClimuxSession
        $sessions.Count | Should -Be 200
        ($sessions.Id | Sort-Object -Unique).Count | Should -Be 200
        $sessions.Status | Sort-Object -Unique | Should -Be 'Completed'

        $runs = Get-FakeInvocations | Where-Object { $_.event -in 'start', 'end' }
        ($runs | Where-Object event -EQ 'start').Count | Should -Be 200
        Get-MaxConcurrency $runs | Should -BeLessOrEqual 3
        foreach ($repo in $repos) {
            $pids = ($runs | Where-Object { $_.event -eq 'start' -and $_.cwd -eq $repo }).pid
            Get-MaxConcurrency ($runs | Where-Object pid -In $pids) | Should -BeLessOrEqual 2
        }
    }

    It 'starts queued runs in the order they were queued' {
        Set-ClimuxConfig concurrency.maxActiveSessions 1
        Set-Location (New-TestRepo)
        $jobs = 1..5 | ForEach-Object { Start-ClimuxRun "in order $_ [[sleep:50]]" -Provider fake-text }
        $jobs | Wait-Job -Timeout 120 | Out-Null
        $started = Get-FakeInvocations | Where-Object event -EQ 'start' | Sort-Object at | ForEach-Object prompt
        $started | Should -Be (1..5 | ForEach-Object { "in order $_ [[sleep:50]]" })
        $jobs | Remove-Job
    }

    It 'reclaims the slot of a pwsh killed mid-run: its session is Orphaned and its agent tree killed' {
        Set-ClimuxConfig concurrency.maxActiveSessions 1
        $repo = New-TestRepo
        Set-Location $repo
        $host_ = Start-Pwsh -Name 'victim' -Directory $repo -Script "Start-ClimuxRun 'victim [[hang-tree]]' -Provider claude-code -Wait"
        Wait-Until { Get-FakeInvocations | Where-Object event -EQ 'child' }
        $victim = Get-ClimuxSession | Where-Object Prompt -EQ 'victim [[hang-tree]]'
        $victim.Status | Should -Be 'Running'
        $child = Get-FakeInvocations | Where-Object event -EQ 'child'

        $waiting = Start-ClimuxRun 'after the victim' -Provider fake-text
        Stop-Process -Id $host_.Id -Force   # SIGKILL: no chance to clean up
        $host_ | Wait-Process -Timeout 30

        $done = $waiting | Wait-ClimuxSession -Timeout 120
        $done.Status | Should -Be 'Completed'
        $orphan = Get-ClimuxSession $victim.Id
        $orphan.Status | Should -Be 'Orphaned'
        $orphan.Error | Should -Match "pid $($host_.Id)"
        Test-ProcessAlive $child.pid | Should -BeFalse
        Test-ProcessAlive $child.parent | Should -BeFalse
        $waiting | Remove-Job
    }
}

Describe 'Budgets and cost limits' {
    BeforeEach {
        New-TestHome | Out-Null
        Set-FakeProviders
        Set-Location (New-TestRepo)
    }

    It 'warns past the alert threshold, refuses once the budget is spent, and -Force overrides' {
        Set-ClimuxConfig monitoring.maxDailyBudget 0.2
        Set-ClimuxConfig monitoring.alertThreshold 0.5
        Start-ClimuxRun 'first' -Provider claude-code -Wait -WarningVariable w1 | Out-Null   # costs $0.11909375
        $w1 | Should -BeNullOrEmpty
        Start-ClimuxRun 'second' -Provider claude-code -Wait -WarningVariable w2 -WarningAction SilentlyContinue | Out-Null
        $w2.Message | Should -Match 'of today.s \$0\.20 budget spent'

        $e = { Start-ClimuxRun 'third' -Provider claude-code -Wait } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'ClimuxBudgetExceeded,*'
        $e.Exception.Message | Should -Match '-Force'
        (Get-ClimuxSession | Where-Object Prompt -EQ 'third') | Should -BeNullOrEmpty

        $forced = Start-ClimuxRun 'third' -Provider claude-code -Force -Wait -WarningAction SilentlyContinue
        $forced.Status | Should -Be 'Completed'

        $status = Get-ClimuxStatus
        $status.CostToday | Should -Be 0.35728125
        $status.DailyBudget | Should -Be 0.2
        $status.BudgetUsed | Should -BeGreaterThan 1.7
    }

    It 'a run whose command is cut short after queueing still runs, and holds up no other' {
        Set-ClimuxConfig monitoring.maxDailyBudget 100
        Set-ClimuxConfig monitoring.alertThreshold 0
        Set-ClimuxConfig concurrency.maxActiveSessions 1
        { Start-ClimuxRun 'first' -Provider fake-text -WarningAction Stop } | Should -Throw
        $second = Start-ClimuxRun 'second' -Provider fake-text -Wait -WarningAction SilentlyContinue
        $second.Status | Should -Be 'Completed'
        (Get-ClimuxSession | Where-Object Prompt -EQ 'first' | Wait-ClimuxSession -Timeout 60).Status | Should -Be 'Completed'
    }

    It 'stops a run whose live cost passes -MaxCost' {
        $s = Start-ClimuxRun 'expensive [[spend:20]]' -Provider claude-code -MaxCost 10 -Wait -ErrorAction SilentlyContinue
        $s.Status | Should -Be 'Failed'
        $s.Error | Should -Match 'passed -MaxCost \$10'
        $s.CostUsd | Should -BeGreaterThan 10
        $s.CostUsd | Should -BeLessThan 40
        $s.ExitCode | Should -BeNullOrEmpty
    }

    It 'warns once about a model it has no price for, and counts it as 0' {
        $s = Start-ClimuxRun 'unknown model' -Provider codex -Model mystery-model-9 -Wait -WarningVariable w -WarningAction SilentlyContinue
        $s.CostUsd | Should -Be 0
        $w.Message | Should -Match "No price is known for model 'mystery-model-9'"
        Start-ClimuxRun 'unknown model again' -Provider codex -Model mystery-model-9 -Wait -WarningVariable w2 -WarningAction SilentlyContinue | Out-Null
        $w2 | Should -BeNullOrEmpty
        Set-ClimuxConfig pricing.mystery-model-9 @{ input = 1; output = 10 }
        (Start-ClimuxRun 'priced now' -Provider codex -Model mystery-model-9 -Wait).CostUsd | Should -Be 0.009707   # 9167 x $1/M + 54 x $10/M
    }
}

Describe 'Get-ClimuxStatus and Get-ClimuxStats' {
    BeforeAll {
        New-TestHome | Out-Null
        Set-FakeProviders
        Set-Location (New-TestRepo)
    }

    It 'shows active and queued sessions, limits and per-workspace counts; its JSON has ActiveSessions' {
        Set-ClimuxConfig concurrency.maxActiveSessions 1
        $running = Start-ClimuxRun 'occupy [[hang]]' -Provider claude-code
        Wait-Until { (Get-ClimuxSession $running.SessionId).Status -eq 'Running' }
        $queued = Start-ClimuxRun 'wait for a slot' -Provider fake-text
        $status = Get-ClimuxStatus
        $status.ActiveSessions | Should -Be 1
        $status.QueuedSessions | Should -Be 1
        $status.MaxActiveSessions | Should -Be 1
        $status.ActiveSessionIds | Should -Be $running.SessionId
        $status.Workspaces[0].Running | Should -Be 1
        $status.Workspaces[0].Queued | Should -Be 1
        $json = $status | ConvertTo-Json -WarningAction Stop | ConvertFrom-Json
        $json.ActiveSessions | Should -Be 1
        $json.Workspaces[0].Workspace | Should -Be (Get-Location).Path
        ($status | Out-String) | Should -Match 'Running\s+: 1 of 1'
        Stop-ClimuxSession $running.SessionId
        $queued | Wait-Job -Timeout 60 | Out-Null
        (Get-ClimuxStatus).ActiveSessions | Should -Be 0
        Set-ClimuxConfig concurrency.maxActiveSessions -Remove
        Get-Job | Where-Object PSJobTypeName -EQ 'ClimuxRun' | Remove-Job -Force
    }

    It 'sums sessions, tokens and cost by provider and by day' {
        New-TestHome | Out-Null
        Set-FakeProviders
        Start-ClimuxRun 'a' -Provider claude-code -Wait | Out-Null
        Start-ClimuxRun 'b' -Provider claude-code -Wait | Out-Null
        Start-ClimuxRun 'c [[error]]' -Provider opencode -Wait -ErrorAction SilentlyContinue | Out-Null
        Start-ClimuxRun 'd' -Provider opencode -Wait | Out-Null

        $byProvider = Get-ClimuxStats
        $claude = $byProvider | Where-Object Key -EQ 'claude-code'
        $claude.Sessions | Should -Be 2
        $claude.Succeeded | Should -Be 2
        $claude.CostUsd | Should -Be 0.2381875
        $claude.InputTokens | Should -Be 40
        $claude.CacheWriteTokens | Should -Be 37910
        $opencode = $byProvider | Where-Object Key -EQ 'opencode'
        ($opencode.Sessions, $opencode.Succeeded, $opencode.Failed) | Should -Be @(2, 1, 1)
        $opencode.MeanDurationSeconds | Should -BeOfType [double]
        $json = $byProvider | ConvertTo-Json | ConvertFrom-Json
        $json[0].By | Should -Be 'Provider'
        $json[0].TotalDurationSeconds | Should -BeOfType [double]

        $day = Get-ClimuxStats -By Day
        $day.Key | Should -Be (Get-Date -Format 'yyyy-MM-dd')
        $day.Sessions | Should -Be 4
        Get-ClimuxStats -From (Get-Date).AddDays(-9) -To (Get-Date).AddDays(-2) | Should -BeNullOrEmpty
        (Get-ClimuxStats -By Model -Provider claude-code).Key | Should -Be 'claude-opus-4-8'
        (Get-ClimuxStats -By Workspace).Key | Should -Be (Get-Location).Path
        { Get-ClimuxStats -From (Get-Date) -To (Get-Date).AddDays(-1) } | Should -Throw -ErrorId 'ClimuxStatsInvalidRange,*'
    }
}
