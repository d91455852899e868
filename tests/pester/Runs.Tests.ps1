BeforeAll { . $PSScriptRoot/Common.ps1 }
AfterAll { Set-Location $script:RepoRoot; Get-Job | Where-Object PSJobTypeName -EQ 'ClimuxRun' | Remove-Job -Force }

Describe 'Start-ClimuxRun with each provider (fake agents replaying real output)' {
    BeforeAll { New-RunFixture }

    It 'claude-code: a plain run records session id, tokens and the cost Claude reported' {
        $s = Start-ClimuxRun 'hello mock, say something' -Provider claude-code -Wait
        $s.Status | Should -Be 'Completed'
        $s.ExitCode | Should -Be 0
        $s.NativeSessionId | Should -Match '^[0-9a-f-]{36}$'
        $s.Model | Should -Be 'claude-opus-4-8'
        $s.Result | Should -Be 'MOCK_REPLY turn=1: you said "hello mock, say something"'
        ($s.InputTokens, $s.OutputTokens, $s.CacheReadTokens, $s.CacheWriteTokens) | Should -Be @(20, 21, 0, 18955)
        $s.CostUsd | Should -Be 0.11909375
        $s.CostSource | Should -Be 'Reported'
        $s.Turns | Should -Be 1
        $s.Workspace | Should -Be $script:repo
        $s.Directory | Should -Be $script:repo
    }

    It 'codex: tokens split into uncached input and cache reads, cost computed from the pricing table' {
        $s = Start-ClimuxRun 'hello codex' -Provider codex -Model gpt-5.1-codex -Wait
        $s.Status | Should -Be 'Completed'
        $s.NativeSessionId | Should -Not -BeNullOrEmpty
        ($s.InputTokens, $s.OutputTokens, $s.CacheReadTokens) | Should -Be @(9167, 54, 0)
        $s.CostSource | Should -Be 'Computed'
        $s.CostUsd | Should -Be 0.01199875   # 9167 x $1.25/M + 54 x $10/M
    }

    It 'gemini-cli: per-model tokens from the result, cost computed' {
        $s = Start-ClimuxRun 'hello gemini' -Provider gemini-cli -Model gemini-2.5-flash -Wait
        $s.Status | Should -Be 'Completed'
        $s.Model | Should -Be 'gemini-2.5-flash'
        $s.Result | Should -Match 'MOCK_REPLY turn=1'
        $s.CostSource | Should -Be 'Computed'
        $s.CostUsd | Should -BeGreaterThan 0
    }

    It 'opencode: the cost OpenCode reported' {
        $s = Start-ClimuxRun 'hello opencode' -Provider opencode -Wait
        $s.Status | Should -Be 'Completed'
        $s.NativeSessionId | Should -Match '^ses_'
        $s.CostUsd | Should -Be 0.02887875
        $s.CostSource | Should -Be 'Reported'
    }

    It 'a command provider (text output) returns its text as the result' {
        $s = Start-ClimuxRun 'hello text' -Provider fake-text -Wait
        $s.Status | Should -Be 'Completed'
        $s.Result | Should -Be 'MOCK_REPLY turn=1: you said "hello text"'
    }

    It 'a command provider with JSON lines reports session, tokens and cost' {
        $s = Start-ClimuxRun 'hello jsonl' -Provider fake-jsonl -Wait
        $s.Status | Should -Be 'Completed'
        $s.NativeSessionId | Should -Not -BeNullOrEmpty
        ($s.InputTokens, $s.OutputTokens) | Should -Be @(100, 20)
        $s.CostUsd | Should -Be 0.001
    }
}

Describe 'Task and Plan runs that write files' {
    BeforeAll { New-RunFixture }

    It '<provider>: a Task run writes the file and the change is measured' -ForEach @(
        @{ provider = 'claude-code' }, @{ provider = 'codex' }, @{ provider = 'gemini-cli' }, @{ provider = 'opencode' }
    ) {
        $file = "$provider-task.txt"
        $s = Start-ClimuxRun "please [[write-file:$file]]" -Provider $provider -Wait
        $s.Status | Should -Be 'Completed'
        Test-Path (Join-Path $script:repo $file) | Should -BeTrue
        $s.FilesChanged | Should -BeGreaterOrEqual 1
        $s.LinesAdded | Should -BeGreaterOrEqual 1
        $calls = Get-ClimuxSessionLog $s.Id -Kind ToolCall
        $calls | Should -Not -BeNullOrEmpty
        $invocation = Get-FakeInvocations | Where-Object { $_.event -eq 'start' -and $_.prompt -eq "please [[write-file:$file]]" }
        $invocation.cwd | Should -Be $script:repo
    }

    It '<provider>: a Plan run cannot write' -ForEach @(
        @{ provider = 'claude-code' }, @{ provider = 'codex' }, @{ provider = 'gemini-cli' }, @{ provider = 'opencode' }
    ) {
        # A clean repository of its own: changes are measured against the starting commit.
        $script:repo = New-TestRepo
        Set-Location $script:repo
        $file = "$provider-plan.txt"
        $s = Start-ClimuxRun "plan only [[write-file:$file]]" -Provider $provider -Mode Plan -Wait
        $s.Status | Should -Be 'Completed'
        $s.Mode | Should -Be 'Plan'
        Test-Path (Join-Path $script:repo $file) | Should -BeFalse
        $s.FilesChanged | Should -Be 0
    }

    It 'refuses a Plan run of a command provider that declares no planArgs' {
        Start-ClimuxRun 'plan' -Provider fake-text -Mode Plan -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxInvalidRunOptions,*'
        $err[0].Exception.Message | Should -Match 'planArgs'
    }

    It 'passes the bypass flags only with -Unrestricted' {
        Start-ClimuxRun 'normal' -Provider claude-code -Wait | Out-Null
        Start-ClimuxRun 'bypass' -Provider claude-code -Unrestricted -Confirm:$false -Wait | Out-Null
        $argv = @{}
        Get-FakeInvocations | Where-Object { $_.event -eq 'start' -and $_.prompt -in 'normal', 'bypass' } | ForEach-Object { $argv[$_.prompt] = $_.argv -join ' ' }
        $argv['normal'] | Should -Match '--permission-mode acceptEdits'
        $argv['bypass'] | Should -Match '--permission-mode bypassPermissions'
        { Start-ClimuxRun 'x' -Mode Plan -Unrestricted -Wait -ErrorAction Stop } | Should -Throw -ErrorId 'ClimuxInvalidRunOptions,*'
    }
}

Describe 'Failures' {
    BeforeAll { New-RunFixture }

    It '<provider>: the CLI''s error result makes the session Failed with its message' -ForEach @(
        @{ provider = 'claude-code' }, @{ provider = 'codex' }, @{ provider = 'gemini-cli' }, @{ provider = 'opencode' }, @{ provider = 'fake-text' }
    ) {
        $s = Start-ClimuxRun 'break [[error]]' -Provider $provider -Wait -ErrorVariable err -ErrorAction SilentlyContinue
        $s.Status | Should -Be 'Failed'
        $s.Error | Should -Match 'mock failure'
        $s.ExitCode | Should -Not -Be 0
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxRunFailed,*'
    }

    It 'a non-zero exit code alone fails the run' {
        $s = Start-ClimuxRun 'fine but [[exit:7]]' -Provider codex -Wait -ErrorAction SilentlyContinue
        $s.Status | Should -Be 'Failed'
        $s.ExitCode | Should -Be 7
    }

    It 'an unknown provider is refused with an error id' {
        Start-ClimuxRun 'x' -Provider no-such-agent -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxProviderNotFound,*'
    }

    It 'a provider that is not installed names its install command' {
        Set-ClimuxConfig providers.codex.command (Join-Path $env:CLIMUX_HOME 'missing/codex')
        try {
            Start-ClimuxRun 'x' -Provider codex -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxProviderNotInstalled,*'
            $err[0].Exception.Message | Should -Match 'npm install -g @openai/codex'
        }
        finally { Set-FakeProviders }
    }

    It 'garbage and invalid UTF-8 in the output do not stop the run' {
        $s = Start-ClimuxRun 'noise [[garbage]]' -Provider claude-code -Wait
        $s.Status | Should -Be 'Completed'
        $s.Result | Should -Match 'MOCK_REPLY'
        (Get-ClimuxSessionLog $s.Id -Kind Output).Text | Should -Contain 'this is not json {'
    }

    It 'an agent flooding its output is recorded within limits and still completes' {
        $s = Start-ClimuxRun 'lots [[flood:80]]' -Provider fake-text -Wait
        $s.Status | Should -Be 'Completed'
        (Get-Item $s.LogPath).Length | Should -BeLessOrEqual (64MB + 1KB)
        @(Get-ClimuxSessionLog $s.Id).Count | Should -BeLessOrEqual 20003
        (Get-ClimuxSessionLog $s.Id -Kind Error).Text -join ' ' | Should -Match 'cut short|first 20000|cap of 16 MiB'
    }

    It 'an agent that never exits is stopped at -Timeout with its whole process tree' {
        $s = Start-ClimuxRun 'forever [[hang-tree]]' -Provider claude-code -Timeout 2 -Wait -ErrorAction SilentlyContinue
        $s.Status | Should -Be 'TimedOut'
        $s.Error | Should -Match 'Timeout 2'
        $child = Get-FakeInvocations | Where-Object event -EQ 'child' | Select-Object -Last 1
        Test-ProcessAlive $child.pid | Should -BeFalse
    }
}

Describe 'Prompts are passed verbatim' {
    BeforeAll { New-RunFixture }

    It '<provider>: quotes, newlines, $, backticks and a leading dash arrive unchanged' -ForEach @(
        @{ provider = 'claude-code' }, @{ provider = 'codex' }, @{ provider = 'gemini-cli' }, @{ provider = 'opencode' }, @{ provider = 'fake-text' }
    ) {
        $prompt = "-dash first`n'single' `"double`" `$HOME `$(whoami) ``backtick`` & | ; * ? \ `r`ttab ünïcode 🚀"
        $s = Start-ClimuxRun $prompt -Provider $provider -Wait
        $s.Status | Should -Be 'Completed'
        $s.Prompt | Should -BeExactly $prompt
        $seen = Get-FakeInvocations | Where-Object { $_.event -eq 'start' -and $_.cli -ne $null } | Select-Object -Last 1
        $seen.prompt | Should -BeExactly $prompt
    }

    It '<provider>: a 200 KB prompt arrives whole' -ForEach @(
        @{ provider = 'claude-code' }, @{ provider = 'codex' }, @{ provider = 'gemini-cli' }, @{ provider = 'opencode' }, @{ provider = 'fake-jsonl' }
    ) {
        $prompt = 'start:' + ('0123456789abcdef' * 12800) + ':end'
        $s = Start-ClimuxRun $prompt -Provider $provider -Wait
        $s.Status | Should -Be 'Completed'
        $seen = Get-FakeInvocations | Where-Object { $_.event -eq 'start' } | Select-Object -Last 1
        $seen.prompt.Length | Should -Be $prompt.Length
        $seen.prompt | Should -BeExactly $prompt
    }
}

Describe 'Jobs' {
    BeforeAll { New-RunFixture }

    It 'returns at once with a job that the *-Job cmdlets understand' {
        $job = Start-ClimuxRun 'as a job [[sleep:300]]' -Provider claude-code
        $job.PSJobTypeName | Should -Be 'ClimuxRun'
        $job.SessionId | Should -Match '^[a-z][a-z2-9]{7}$'
        (Get-Job -Id $job.Id).SessionId | Should -Be $job.SessionId
        (Get-Job -Name $job.Name).Id | Should -Be $job.Id
        Get-ClimuxSession $job.SessionId | Should -Not -BeNullOrEmpty
        $job | Wait-Job -Timeout 60 | Out-Null
        $job.State | Should -Be 'Completed'
        $job.HasMoreData | Should -BeTrue
        $session = Receive-Job $job -InformationVariable info
        $session.Id | Should -Be $job.SessionId
        $session.Status | Should -Be 'Completed'
        ($info.MessageData | Where-Object Kind -EQ 'Message').Text | Should -Match 'MOCK_REPLY'
        $info[0].Tags | Should -Contain 'Climux'
        $job.HasMoreData | Should -BeFalse
        Remove-Job $job
        Get-Job -Id $job.Id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'Stop-Job kills the agent tree and the session ends Stopped' {
        $job = Start-ClimuxRun 'stop me [[hang-tree]]' -Provider codex
        $deadline = (Get-Date).AddSeconds(30)
        while (-not (Get-FakeInvocations | Where-Object event -EQ 'child' | Where-Object { (Get-ClimuxSession $job.SessionId).Pid -eq $_.parent })) {
            if ((Get-Date) -gt $deadline) { throw 'the fake agent did not start its child' }
            Start-Sleep -Milliseconds 100
        }
        $child = Get-FakeInvocations | Where-Object event -EQ 'child' | Select-Object -Last 1
        Stop-Job $job
        $job.State | Should -Be 'Stopped'
        (Get-ClimuxSession $job.SessionId).Status | Should -Be 'Stopped'
        Test-ProcessAlive $child.pid | Should -BeFalse
        Test-ProcessAlive $child.parent | Should -BeFalse
        Remove-Job $job
    }

    It 'a failed run makes a Failed job whose error Receive-Job reports' {
        $job = Start-ClimuxRun 'oops [[error]]' -Provider opencode
        $job | Wait-Job -Timeout 60 | Out-Null
        $job.State | Should -Be 'Failed'
        $session = Receive-Job $job -ErrorVariable err -ErrorAction SilentlyContinue
        $session.Status | Should -Be 'Failed'
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxRunFailed*'
        Remove-Job $job
    }

    It 'Wait-ClimuxSession takes jobs and sessions from the pipeline' {
        $jobs = 'one', 'two', 'three' | Start-ClimuxRun -Provider fake-text
        $done = $jobs | Wait-ClimuxSession -Timeout 60
        $done.Count | Should -Be 3
        $done.Status | Sort-Object -Unique | Should -Be 'Completed'
        $jobs | Remove-Job -Force
    }

    It 'Wait-ClimuxSession -Any returns the first to finish; -Timeout reports the rest' {
        $slow = Start-ClimuxRun 'slow [[hang]]' -Provider claude-code
        $fast = Start-ClimuxRun 'fast' -Provider claude-code
        $first = Wait-ClimuxSession $slow, $fast -Any -Timeout 60
        $first.Id | Should -Be $fast.SessionId
        Wait-ClimuxSession $slow -Timeout 1 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxWaitTimeout,*'
        Stop-ClimuxSession $slow.SessionId -PassThru | ForEach-Object Status | Should -Be 'Stopped'
        Get-Job | Where-Object PSJobTypeName -EQ 'ClimuxRun' | Remove-Job -Force
    }
}

Describe 'Sessions' {
    BeforeAll { New-RunFixture }

    It 'Resume-ClimuxSession continues the native conversation in the same folder as a linked session' -ForEach @(
        @{ provider = 'claude-code' }, @{ provider = 'codex' }, @{ provider = 'gemini-cli' }, @{ provider = 'opencode' }, @{ provider = 'fake-jsonl' }
    ) {
        $first = Start-ClimuxRun 'first turn' -Provider $provider -Wait
        $next = $first | Resume-ClimuxSession -Prompt 'second turn' -Wait
        $next.Status | Should -Be 'Completed'
        $next.ParentId | Should -Be $first.Id
        $next.NativeSessionId | Should -Be $first.NativeSessionId
        $next.Directory | Should -Be $first.Directory
        $next.Result | Should -Match 'turn=2: you said "second turn"'
    }

    It 'a resume of a session the CLI does not know fails clearly' {
        $first = Start-ClimuxRun 'to be forgotten' -Provider claude-code -Wait
        Remove-Item -Recurse -Force (Join-Path $env:CLIMUX_HOME 'fake-state/claude')
        $next = Resume-ClimuxSession $first.Id -Prompt 'again' -Wait -ErrorAction SilentlyContinue
        $next.Status | Should -Be 'Failed'
        $next.Error | Should -Match 'No conversation found'
    }

    It 'Get-ClimuxSession filters by status, provider and -Last, and resolves names and prefixes' {
        $named = Start-ClimuxRun 'named run' -Provider fake-text -Name fix-login -Wait
        (Get-ClimuxSession fix-login).Id | Should -Be $named.Id
        (Get-ClimuxSession $named.Id.Substring(0, 6)).Id | Should -Be $named.Id
        (Get-ClimuxSession -Last 1).Id | Should -Be $named.Id
        Get-ClimuxSession -Provider fake-text | ForEach-Object Provider | Sort-Object -Unique | Should -Be 'fake-text'
        Get-ClimuxSession -Status Failed | ForEach-Object Status | Sort-Object -Unique | Should -BeIn @($null, 'Failed')
        Get-ClimuxSession nosuchsession -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxSessionNotFound,*'
        "$named" | Should -Match "^$($named.Id) fake-text Completed"
    }

    It 'Get-ClimuxSessionLog -Follow streams a running session to its end' {
        $job = Start-ClimuxRun 'step by step [[slow:200]]' -Provider claude-code
        $events = Get-ClimuxSessionLog $job.SessionId -Follow
        $events.Kind | Should -Contain 'Result'
        $events[-1].Text | Should -Match 'Completed'
        ($events.Sequence | Sort-Object) | Should -Be $events.Sequence
        Remove-Job $job -Force
    }

    It 'Export-ClimuxSession writes Markdown and JSON with the transcript, and redacts API keys' {
        $s = Start-ClimuxRun 'use key sk-ant-api03-abcdefghijklmnopqrstuvwxyz and [[write-file:export.txt]]' -Provider claude-code -Wait
        $md = Export-ClimuxSession $s.Id -Format Markdown
        $md | Should -Match "# Session $($s.Id)"
        $md | Should -Match '\*\*tool call\*\* `Write`'
        $md | Should -Match 'Cost \| \$0\.13'
        $md | Should -Not -Match 'abcdefghijklmnopqrstuvwxyz'
        $json = Export-ClimuxSession $s.Id -Format Json | ConvertFrom-Json
        $json.Session.Id | Should -Be $s.Id
        $json.Session.CostUsd | Should -Be $s.CostUsd
        ($json.Events | Where-Object Kind -EQ 'ToolCall').Tool | Should -Contain 'Write'
        ($json | ConvertTo-Json -Depth 10) | Should -Not -Match 'abcdefghijklmnopqrstuvwxyz'
        $file = Export-ClimuxSession $s.Id -Format Json -Path (Join-Path $env:CLIMUX_HOME 'out.json')
        $file.Name | Should -Be 'out.json'
    }

    It 'Export-ClimuxSession writes one file per session into a folder, and refuses two sessions into one file' {
        $two = 'one', 'two' | ForEach-Object { Start-ClimuxRun $_ -Provider fake-text -Wait }
        $folder = New-Item -ItemType Directory -Path (Join-Path $env:CLIMUX_HOME 'exports')
        $files = $two | Export-ClimuxSession -Path $folder
        $files.Name | Should -Be ($two | ForEach-Object { "$($_.Id).md" })
        $two | Export-ClimuxSession -Path (Join-Path $folder 'both.md') -ErrorVariable err -ErrorAction SilentlyContinue | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxExportFileExists,*'
        Export-ClimuxSession $two[0].Id -Path (Join-Path $env:CLIMUX_HOME 'no/such/folder/x.md') -ErrorVariable err2 -ErrorAction SilentlyContinue
        $err2[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxExportFailed,*'
    }

    It 'a resume keeps the session''s time and cost limits unless given new ones' {
        $first = Start-ClimuxRun 'limited' -Provider claude-code -Timeout 300 -MaxCost 5 -Wait
        $next = Resume-ClimuxSession $first.Id -Prompt 'go on' -Wait
        $next.Options.TimeoutSeconds | Should -Be 300
        $next.Options.MaxCost | Should -Be 5
        (Resume-ClimuxSession $next.Id -Prompt 'and on' -Timeout 60 -Wait).Options.TimeoutSeconds | Should -Be 60
    }

    It 'Remove-ClimuxSession honours -WhatIf, refuses live sessions, and deletes records and logs' {
        $s = Start-ClimuxRun 'to delete' -Provider fake-text -Wait
        Remove-ClimuxSession $s.Id -WhatIf
        Get-ClimuxSession $s.Id | Should -Not -BeNullOrEmpty
        $s | Remove-ClimuxSession -Confirm:$false
        Get-ClimuxSession $s.Id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Test-Path $s.LogPath | Should -BeFalse

        $live = Start-ClimuxRun 'live [[hang]]' -Provider claude-code
        Remove-ClimuxSession $live.SessionId -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxSessionActive,*'
        Remove-ClimuxSession $live.SessionId -Force -Confirm:$false
        Get-ClimuxSession $live.SessionId -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Remove-Job $live -Force
    }
}

Describe 'Dependencies' {
    BeforeAll { New-RunFixture }

    It 'starts a run only after the runs it depends on complete' {
        $a = Start-ClimuxRun 'phase one [[sleep:500]]' -Provider claude-code
        $b = Start-ClimuxRun 'phase one too [[sleep:300]]' -Provider codex
        $c = Start-ClimuxRun 'phase two' -Provider gemini-cli -DependsOn $a, $b -Wait
        $c.Status | Should -Be 'Completed'
        $c.DependsOn | Should -Be @($a.SessionId, $b.SessionId)
        $ended = (Get-ClimuxSession $a.SessionId, $b.SessionId).EndedAt | Sort-Object | Select-Object -Last 1
        $c.StartedAt | Should -BeGreaterOrEqual $ended
        Remove-Job $a, $b -Force
    }

    It 'fails clearly, without starting, when a dependency fails' {
        $a = Start-ClimuxRun 'broken [[error]]' -Provider claude-code -Wait -ErrorAction SilentlyContinue
        $b = Start-ClimuxRun 'after broken' -Provider claude-code -DependsOn $a.Id -Wait -ErrorAction SilentlyContinue
        $b.Status | Should -Be 'Failed'
        $b.Error | Should -Match "dependency $($a.Id) ended Failed"
        $b.StartedAt | Should -BeNullOrEmpty
        Get-FakeInvocations | Where-Object prompt -EQ 'after broken' | Should -BeNullOrEmpty
    }

    It 'refuses a dependency that does not exist' {
        Start-ClimuxRun 'x' -Provider fake-text -DependsOn nosuchsession -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxDependencyNotFound,*'
    }
}

Describe 'Concurrency' {
    BeforeAll { New-RunFixture }

    It 'works from ForEach-Object -Parallel runspaces' {
        $module = $script:ModulePath
        $ids = 1..4 | ForEach-Object -ThrottleLimit 4 -Parallel {
            Import-Module $using:module
            (Start-ClimuxRun "parallel $_" -Provider fake-text -Wait).Id
        }
        $ids.Count | Should -Be 4
        $sessions = Get-ClimuxSession $ids
        $sessions.Count | Should -Be 4
        $sessions.Status | Sort-Object -Unique | Should -Be 'Completed'
    }

    It 'works from several pwsh processes at once, every run its own row' {
        $pwsh = @(Get-PwshCommand)
        $file = Join-Path $env:CLIMUX_HOME 'many.ps1'
        Set-Content $file "Import-Module '$script:ModulePath'; 1..3 | ForEach-Object { Start-ClimuxRun ""process `$PID run `$_"" -Provider fake-text } | Wait-Job | Receive-Job | ForEach-Object Id"
        $processes = 1..3 | ForEach-Object {
            Start-Process -FilePath $pwsh[0] -ArgumentList (@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $file)) `
                -WorkingDirectory $script:repo -PassThru -RedirectStandardOutput (Join-Path $env:CLIMUX_HOME "p$_.out")
        }
        $processes | Wait-Process -Timeout 120
        $processes.ExitCode | Should -Be @(0, 0, 0)
        $ids = 1..3 | ForEach-Object { Get-Content (Join-Path $env:CLIMUX_HOME "p$_.out") }
        $ids.Count | Should -Be 9
        ($ids | Sort-Object -Unique).Count | Should -Be 9
        (Get-ClimuxSession $ids).Status | Sort-Object -Unique | Should -Be 'Completed'
    }

    It 'Stop-ClimuxSession stops a run of another pwsh process and kills its agent tree' {
        $pwsh = @(Get-PwshCommand)
        $out = Join-Path $env:CLIMUX_HOME 'other.out'
        $file = Join-Path $env:CLIMUX_HOME 'other.ps1'
        Set-Content $file "Import-Module '$script:ModulePath'; `$j = Start-ClimuxRun 'remote [[hang-tree]]' -Provider claude-code; `$j.SessionId; [Console]::Out.Flush(); `$j | Wait-Job | Out-Null; (Get-ClimuxSession `$j.SessionId).Status"
        $process = Start-Process -FilePath $pwsh[0] -ArgumentList (@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $file)) `
            -WorkingDirectory $script:repo -PassThru -RedirectStandardOutput $out
        $deadline = (Get-Date).AddSeconds(60)
        do {
            Start-Sleep -Milliseconds 200
            $id = Get-Content $out -ErrorAction SilentlyContinue | Select-Object -First 1
            $child = Get-FakeInvocations | Where-Object event -EQ 'child' | Select-Object -Last 1
        } until (($id -and $child -and (Get-ClimuxSession $id).Status -eq 'Running') -or (Get-Date) -gt $deadline)
        $stopped = Stop-ClimuxSession $id -PassThru
        $stopped.Status | Should -Be 'Stopped'
        $process | Wait-Process -Timeout 60
        (Get-Content $out)[-1] | Should -Be 'Stopped'
        Test-ProcessAlive $child.pid | Should -BeFalse
    }
}
