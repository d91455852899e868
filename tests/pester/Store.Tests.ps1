BeforeAll {
    . $PSScriptRoot/Common.ps1

    # The error a command stops with, as scripts see it.
    function Get-TerminatingError([scriptblock] $Command) {
        try { & $Command | Out-Null } catch { return $_ }
        throw "expected $Command to stop with an error"
    }
}
AfterAll { Set-Location $script:RepoRoot; Get-Job | Remove-Job -Force }

Describe 'Test-ClimuxStore' {
    BeforeEach {
        New-TestHome | Out-Null
        Set-FakeProviders
        Set-Location ([IO.Path]::GetTempPath())
    }

    It 'reports a missing store as healthy, without creating it' {
        Remove-Item (Join-Path $env:CLIMUX_HOME 'climux.db*') -Force -ErrorAction SilentlyContinue
        $check = Test-ClimuxStore
        $check.Health | Should -Be 'Missing'
        $check.Healthy | Should -BeTrue
        $check.Path | Should -Be (Join-Path $env:CLIMUX_HOME 'climux.db')
        Test-Path $check.Path | Should -BeFalse
    }

    It 'reports a store in use: its file, schema version, integrity and session count' {
        Start-ClimuxRun 'one' -Provider fake-text -Wait | Out-Null
        Start-ClimuxRun 'two' -Provider fake-text -Wait | Out-Null
        $check = Test-ClimuxStore
        $check.GetType().FullName | Should -Be 'Climux.Core.Store.ClimuxStoreCheck'
        $check.Health | Should -Be 'Ok'
        $check.Integrity | Should -Be 'ok'
        $check.Sessions | Should -Be 2
        $check.SchemaVersion | Should -Be $check.SupportedVersion
        $check.SchemaVersion | Should -BeGreaterOrEqual 3
        ($check | Out-String) | Should -Match 'Integrity\s*:\s*ok'
    }
}

Describe 'A damaged or unusable store' {
    BeforeEach {
        New-TestHome | Out-Null
        Set-Location ([IO.Path]::GetTempPath())
    }

    It 'stops every command with ClimuxStoreCorrupt, naming the file and the way out' {
        $db = Join-Path $env:CLIMUX_HOME 'climux.db'
        New-Item -ItemType Directory -Path $env:CLIMUX_HOME -Force | Out-Null
        Set-Content -Path $db -Value ('this is not a database ' * 400)

        foreach ($command in { Get-ClimuxSession }, { Get-ClimuxStatus }, { Start-ClimuxRun 'x' -Provider codex }, { Get-ClimuxStats }) {
            $e = Get-TerminatingError $command
            $e.FullyQualifiedErrorId | Should -BeLike 'ClimuxStoreCorrupt,*'
            $e.CategoryInfo.Category | Should -Be 'InvalidData'
            $e.TargetObject | Should -Be $db
            $e.Exception.Message | Should -Match ([regex]::Escape($db))
            $e.Exception.Message | Should -Match 'Move it aside'
        }
        $check = Test-ClimuxStore
        $check.Health | Should -Be 'Corrupt'
        $check.Healthy | Should -BeFalse
        $check.Advice | Should -Match 'climux.db.damaged'

        # Moved aside as the message says, Climux starts afresh.
        Move-Item $db "$db.damaged"
        @(Get-ClimuxSession).Count | Should -Be 0
        (Test-ClimuxStore).Health | Should -Be 'Ok'
    }

    It 'reports a store damaged while this pwsh has it open' {
        Set-FakeProviders
        # Sessions written by another pwsh, which has closed the store since; this one has it open.
        Invoke-FreshPwsh -Script "1..5 | ForEach-Object { Start-ClimuxRun ""run `$_"" -Provider fake-text } | Wait-ClimuxSession | Out-Null" | Out-Null
        @(Get-ClimuxSession).Count | Should -Be 5
        $db = Join-Path $env:CLIMUX_HOME 'climux.db'
        [IO.File]::WriteAllBytes($db, [Text.Encoding]::ASCII.GetBytes('x' * (Get-Item $db).Length))

        $e = Get-TerminatingError { Get-ClimuxSession }
        $e.FullyQualifiedErrorId | Should -BeIn @('ClimuxStoreCorrupt,Climux.PowerShell.Cmdlets.GetClimuxSessionCommand')
        $e.Exception.Message | Should -Match ([regex]::Escape($db))
        (Test-ClimuxStore).Health | Should -Be 'Corrupt'
    }

    It 'stops with ClimuxStoreUnavailable when the store cannot be created' {
        $blocker = Join-Path $env:CLIMUX_HOME 'a-file'
        New-Item -ItemType Directory -Path $env:CLIMUX_HOME -Force | Out-Null
        Set-Content $blocker 'x'
        $env:CLIMUX_HOME = Join-Path $blocker 'home'
        $e = Get-TerminatingError { Get-ClimuxSession }
        $e.FullyQualifiedErrorId | Should -BeLike 'ClimuxStoreUnavailable,*'
        $e.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $e.Exception.Message | Should -Match ([regex]::Escape((Join-Path $env:CLIMUX_HOME 'climux.db')))
        (Test-ClimuxStore).Health | Should -Be 'Missing'
    }
}

Describe 'A store deleted while a run goes on' {
    BeforeEach {
        New-TestHome | Out-Null
        Set-FakeProviders
        Set-Location ([IO.Path]::GetTempPath())
    }

    It 'Start-ClimuxRun -Wait returns the real final status, and the session is in the store again with a warning' {
        $db = Join-Path $env:CLIMUX_HOME 'climux.db'
        $deleter = Start-ThreadJob -ArgumentList $db -ScriptBlock {
            param($db)
            Start-Sleep -Milliseconds 1500
            Remove-Item "$db*" -Force
            'deleted'
        }
        $s = Start-ClimuxRun 'take your time [[sleep:3000]]' -Provider codex -Wait -WarningVariable warnings -WarningAction SilentlyContinue
        $deleter | Wait-Job | Receive-Job | Should -Be 'deleted'

        $s.Status | Should -Be 'Completed'
        $s.Result | Should -Match 'MOCK_REPLY'
        ($warnings -join "`n") | Should -Match 'lost the record'
        $stored = Get-ClimuxSession $s.Id
        $stored.Status | Should -Be 'Completed'
        $stored.Result | Should -Be $s.Result
        Get-ClimuxSessionLog $s.Id -Kind Warning | ForEach-Object Text | Should -Match 'wrote it again'
        (Test-ClimuxStore).Sessions | Should -Be 1
    }

    It 'its job and Wait-ClimuxSession see the real final status too' {
        $job = Start-ClimuxRun 'slowly [[sleep:2500]]' -Provider codex
        $deadline = (Get-Date).AddSeconds(60)
        while ((Get-ClimuxSession $job.SessionId).Status -ne 'Running') {
            if ((Get-Date) -gt $deadline) { throw 'the run never started' }
            Start-Sleep -Milliseconds 100
        }
        Remove-Item (Join-Path $env:CLIMUX_HOME 'climux.db*') -Force

        ($job | Wait-Job -Timeout 60 | Receive-Job).Status | Should -Be 'Completed'
        $job.State | Should -Be 'Completed'
        (Wait-ClimuxSession $job.SessionId -Timeout 10).Status | Should -Be 'Completed'
    }
}
