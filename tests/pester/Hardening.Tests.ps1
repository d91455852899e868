# Attacks and accidents the module must withstand (issue 10): each test repeats a probe that once
# failed and checks what must happen instead.
BeforeAll {
    . $PSScriptRoot/Common.ps1
    # The child the fake agent logged for the run of this prompt.
    function Get-LeftChild([string] $Prompt) {
        $start = Get-FakeInvocations | Where-Object { $_.event -eq 'start' -and $_.prompt -eq $Prompt } | Select-Object -Last 1
        if ($start) { Get-FakeInvocations | Where-Object { $_.event -eq 'child' -and $_.parent -eq $start.pid } | Select-Object -Last 1 }
    }
    # A killed process takes a moment to die: true once it has (within a few seconds; it would live an hour otherwise).
    function Test-ProcessEnded([int] $ProcessId) {
        $deadline = (Get-Date).AddSeconds(5)
        while ((Test-ProcessAlive $ProcessId) -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 50 }
        -not (Test-ProcessAlive $ProcessId)
    }
}
AfterAll { Set-Location $script:RepoRoot; Get-Job | Where-Object PSJobTypeName -EQ 'ClimuxRun' | Remove-Job -Force }

Describe 'An agent that leaves processes behind' {
    BeforeAll { New-RunFixture }

    It 'a child holding stdout does not keep the session running: the agent''s exit decides, and the child is ended' {
        $prompt = 'leave a child [[stray-child]]'
        # Without the fix the session waits for the child's stdout and ends TimedOut at -Timeout.
        $s = Start-ClimuxRun $prompt -Provider claude-code -Timeout 30 -Wait -ErrorAction SilentlyContinue
        $s.Status | Should -Be 'Completed'
        $s.ExitCode | Should -Be 0
        $s.Result | Should -Match 'MOCK_REPLY turn=1'
        $child = Get-LeftChild $prompt
        $child | Should -Not -BeNullOrEmpty
        Test-ProcessEnded $child.pid | Should -BeTrue
        (Get-ClimuxSessionLog $s.Id -Kind Status).Text -join "`n" | Should -Match 'left .*running'
        (Get-ClimuxStatus).ActiveSessions | Should -Be 0
    }

    It 'the agent''s own exit code decides the status when it leaves a child' {
        $prompt = 'fail and leave a child [[stray-child]] [[exit:3]]'
        $s = Start-ClimuxRun $prompt -Provider fake-text -Timeout 30 -Wait -ErrorAction SilentlyContinue
        $s.Status | Should -Be 'Failed'
        $s.ExitCode | Should -Be 3
        Test-ProcessEnded (Get-LeftChild $prompt).pid | Should -BeTrue
    }

    It 'a process outside the agent''s tree (its parent gone) is ended at -Timeout' {
        $prompt = 'orphan then hang [[orphan-child]] [[hang]]'
        $s = Start-ClimuxRun $prompt -Provider claude-code -Timeout 3 -Wait -ErrorAction SilentlyContinue
        $s.Status | Should -Be 'TimedOut'
        $orphan = Get-LeftChild $prompt
        $orphan.detached | Should -BeTrue
        Test-ProcessEnded $orphan.pid | Should -BeTrue
    }

    It 'a process outside the agent''s tree is ended by Stop-ClimuxSession' {
        $prompt = 'orphan then wait [[orphan-child]] [[hang]]'
        $job = Start-ClimuxRun $prompt -Provider codex
        Wait-Until { (Get-ClimuxSession $job.SessionId).Status -eq 'Running' -and (Get-LeftChild $prompt) }
        $orphan = Get-LeftChild $prompt
        Test-ProcessAlive $orphan.pid | Should -BeTrue
        (Stop-ClimuxSession $job.SessionId -PassThru).Status | Should -Be 'Stopped'
        Test-ProcessEnded $orphan.pid | Should -BeTrue
        $job | Remove-Job -Force
    }

    It 'an agent that exits and leaves an orphan gets it ended with its session' {
        $prompt = 'orphan and exit [[orphan-child]]'
        $s = Start-ClimuxRun $prompt -Provider gemini-cli -Wait
        $s.Status | Should -Be 'Completed'
        Test-ProcessEnded (Get-LeftChild $prompt).pid | Should -BeTrue
    }
}

Describe 'Hostile numbers in an agent''s output' {
    BeforeAll { New-RunFixture }

    It 'refuses negative, huge and overflowing tokens and costs with warnings; the budget and stats stay sound' {
        Set-ClimuxConfig monitoring.maxDailyBudget 1
        $s = Start-ClimuxRun 'numbers [[hostile-numbers]]' -Provider fake-jsonl -Wait -WarningVariable warnings -WarningAction SilentlyContinue
        $s.Status | Should -Be 'Completed'
        ($s.InputTokens, $s.OutputTokens) | Should -Be @(101, 21)
        $s.CostUsd | Should -Be 0.001
        ($warnings -join "`n") | Should -Match 'refused numbers'
        @(Get-ClimuxSessionLog $s.Id -Kind Error | Where-Object Text -Match 'refused numbers').Count | Should -Be 5
        $status = Get-ClimuxStatus
        $status.CostToday | Should -Be 0.001
        $status.BudgetUsed | Should -BeGreaterOrEqual 0
        (Get-ClimuxStats -By Provider | Where-Object Key -EQ 'fake-jsonl').OutputTokens | Should -Be 21
    }
}

Describe 'Floods and terminal control sequences in an agent''s output' {
    BeforeAll {
        New-RunFixture
        # Any C0 or C1 control character but newline and tab.
        $script:controls = '[\x00-\x08\x0B-\x1F\x7F-\x9F]'
    }

    It 'keeps the stored transcript under monitoring.maxTranscriptMiB, says so, and keeps the end of a text result' {
        Set-ClimuxConfig monitoring.maxTranscriptMiB 2
        try {
            $s = Start-ClimuxRun 'flood [[flood:8]]' -Provider fake-text -Wait
            $s.Status | Should -Be 'Completed'
            $events = @(Get-ClimuxSessionLog $s.Id)
            $stored = ($events | ForEach-Object { [Text.Encoding]::UTF8.GetByteCount("$($_.Text)$($_.Data)") } | Measure-Object -Sum).Sum
            $stored | Should -BeLessOrEqual (2MB + 64KB)
            ($events | Where-Object Kind -EQ 'Error').Text -join "`n" | Should -Match 'cap of 2 MiB'
            (Get-Item $s.LogPath).Length | Should -BeGreaterThan 8MB   # the raw log keeps its own, larger cap
            # Text output: the result is the end of the output (the reply), marked where it was cut.
            $s.Result | Should -Match '^\[climux: .*cut'
            $s.Result | Should -Match 'MOCK_REPLY turn=1: you said "flood \[\[flood:8\]\]"$'
        }
        finally { Set-ClimuxConfig monitoring.maxTranscriptMiB -Remove }
    }

    It 'cuts one long entry with a visible marker' {
        $s = Start-ClimuxRun 'long line [[flood:1]]' -Provider fake-text -Wait
        $long = Get-ClimuxSessionLog $s.Id | Where-Object { $_.Text -like 'yyyy*' }
        $long.Text.Length | Should -BeLessOrEqual (1MB + 200)
        $long.Text | Should -Match '\[climux: cut here, [\d,]+ more bytes? in the raw log\]$'
    }

    It 'strips control sequences from what it stores and shows, and keeps them in the raw log (<provider>)' -ForEach @(
        @{ provider = 'fake-text' }, @{ provider = 'fake-jsonl' }
    ) {
        $s = Start-ClimuxRun 'escape [[escapes]]' -Provider $provider -Wait
        $s.Status | Should -Be 'Completed'
        $s.Result | Should -Not -Match $script:controls
        $s.Result | Should -Match 'MOCK_REPLY'
        $texts = Get-ClimuxSessionLog $s.Id | ForEach-Object { $_.Text; $_.Data; $_.ToString() }
        ($texts -join "`n") | Should -Not -Match $script:controls
        ($texts -join "`n") | Should -Match 'red text'
        (Get-ClimuxSessionLog $s.Id | Out-String) | Should -Not -Match '\x1b\]|\x1b\[2J'
        (Get-ClimuxSession $s.Id | Format-List * | Out-String) | Should -Not -Match '\x1b\]|\x1b\[2J|\x07'
        foreach ($format in 'Markdown', 'Json') {
            Export-ClimuxSession $s.Id -Format $format | Should -Not -Match $script:controls.Replace('\x0B-\x1F', '\x0B\x0C\x0E-\x1F')
        }
        # The raw log keeps what the agent printed: the escape itself, or (in JSON) its \u001b spelling.
        Get-Content -Raw $s.LogPath | Should -Match '\x1b\]0;pwned|\\u001b\]0;pwned'
    }
}

Describe 'Models and prompts an agent CLI could misread' {
    BeforeAll { New-RunFixture }

    It 'refuses -Model <model> with ClimuxInvalidRunOptions and starts nothing' -ForEach @(
        @{ model = '--dangerously-skip-permissions' }, @{ model = 'sonnet --yolo' }, @{ model = "x`e]0;t`a" }
    ) {
        $before = @(Get-FakeInvocations).Count
        Start-ClimuxRun 'hello' -Provider claude-code -Model $model -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxInvalidRunOptions,*'
        $err[0].Exception.Message | Should -Match '-Model'
        $err[0].Exception.Message | Should -Not -Match '\x1b'
        @(Get-FakeInvocations).Count | Should -Be $before
        Get-ClimuxSession -Status Queued, Running | Should -BeNullOrEmpty
    }

    It 'refuses a providers.<name>.model that would read as a flag' {
        Set-ClimuxConfig providers.codex.model '--dangerously-bypass-approvals-and-sandbox'
        try {
            Start-ClimuxRun 'hello' -Provider codex -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxInvalidRunOptions,*'
            $err[0].Exception.Message | Should -Match 'providers\.codex\.model'
        }
        finally { Set-ClimuxConfig providers.codex.model -Remove }
    }

    It 'refuses a prompt holding a NUL instead of cutting it short' {
        Start-ClimuxRun "first half`0second half" -Provider claude-code -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxInvalidRunOptions,*'
        $err[0].Exception.Message | Should -Match 'NUL'
    }
}

Describe 'A cloned repository''s .worktreeinclude' {
    BeforeAll { New-RunFixture }

    It 'cannot copy files from outside the repository into a worktree' {
        $secret = Join-Path (Split-Path $script:repo) 'outside-secret.txt'
        Set-Content $secret 'SECRET'
        New-Item -ItemType SymbolicLink -Path (Join-Path $script:repo 'leak.txt') -Target $secret | Out-Null
        Set-Content (Join-Path $script:repo 'local.settings') 'ok'
        Set-Content (Join-Path $script:repo '.worktreeinclude') "../outside-secret.txt`nleak.txt`nlocal.settings"
        $w = New-ClimuxWorktree feature-include -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings.Count | Should -Be 2
        ($warnings -join "`n") | Should -Match "'\.\./outside-secret\.txt'.*outside the repository"
        Get-Content (Join-Path $w.Path 'local.settings') | Should -Be 'ok'
        Test-Path (Join-Path $w.Path 'leak.txt') | Should -BeFalse
        Get-ChildItem -Recurse -Force (Split-Path $w.Path) -Filter 'outside-secret.txt' | Should -BeNullOrEmpty
    }
}

Describe 'File modes' {
    It 'creates its folders and files with explicit modes under umask 000' {
        $home_ = Join-Path $script:TestRoot "climux-umask-$([Guid]::NewGuid().ToString('N').Substring(0, 8))/home"
        $repo = New-TestRepo
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$script:ModulePath'
Set-Location '$repo'
Set-ClimuxConfig providers.umask-agent @{ command = '/bin/echo'; args = @('{prompt}'); output = 'text' }
Initialize-ClimuxConfig -Scope Project | Out-Null
New-ClimuxWorktree feature-umask | Out-Null
(Start-ClimuxRun 'hello' -Provider umask-agent -Wait).Status
"@
        $pwsh = @(Get-PwshCommand)
        $env:CLIMUX_HOME = $home_
        $out = & /bin/sh -c 'umask 000; exec "$@"' sh @pwsh -NoProfile -NonInteractive -Command $script 2>&1
        $out | Should -Be 'Completed'
        $worktrees = Join-Path $home_ 'worktrees'
        $modes = [ordered]@{
            $home_ = '700'; (Join-Path $home_ 'logs') = '700'; (Join-Path $home_ 'climux.db') = '600'; (Join-Path $home_ 'config.yaml') = '600'
            $worktrees = '700'; (Get-ChildItem $worktrees).FullName = '700'
            (Join-Path $repo '.climux') = '755'; (Join-Path $repo '.climux/config.yaml') = '644'
        }
        foreach ($path in $modes.Keys) { "$path $(Get-UnixMode $path)" | Should -Be "$path $($modes[$path])" }
        Get-ChildItem (Join-Path $home_ 'logs') -File | ForEach-Object { Get-UnixMode $_.FullName | Should -Be '600' }
    }

    It 'leaves an existing CLIMUX_HOME''s mode alone and warns when others may write to it' {
        $shared = Join-Path $script:TestRoot "climux-shared-$([Guid]::NewGuid().ToString('N').Substring(0, 8))"
        New-Item -ItemType Directory $shared | Out-Null
        chmod 1777 $shared
        $env:CLIMUX_HOME = $shared
        Get-ClimuxStatus -WarningVariable warnings -WarningAction SilentlyContinue | Out-Null
        Get-UnixMode $shared | Should -Be '1777'
        ($warnings -join "`n") | Should -Match 'writable by other users \(mode 1777\)'
        Get-UnixMode (Join-Path $shared 'climux.db') | Should -Be '600'
    }
}

Describe 'Export redaction' {
    BeforeAll { New-RunFixture }

    It 'hides secrets from the environment and key shapes, never ordinary provider env values' {
        Set-ClimuxConfig providers.fake-text.env.AGENT_MODE claude
        Set-ClimuxConfig providers.fake-text.env.EXAMPLE_API_KEY 'zq-provider-secret-4455'
        $env:CLIMUX_PESTER_TOKEN = 'proc-token-7788'
        try {
            $s = Start-ClimuxRun 'claude, use zq-provider-secret-4455 and proc-token-7788 with Authorization: Bearer abcd1234; output_tokens: 123456789' -Provider fake-text -Wait
            foreach ($format in 'Markdown', 'Json') {
                $text = Export-ClimuxSession $s.Id -Format $format
                $text | Should -Match 'claude, use'
                $text | Should -Not -Match 'zq-provider-secret-4455|proc-token-7788|abcd1234'
                $text | Should -Match 'Bearer \[REDACTED\]'
                $text | Should -Match 'output_tokens: 123456789'
            }
        }
        finally { Remove-Item Env:CLIMUX_PESTER_TOKEN }
    }
}

Describe 'Worktree names' {
    BeforeAll { New-RunFixture }

    It 'refuses <name> with ClimuxWorktreeInvalidName' -ForEach @(
        @{ name = 'HEAD' }, @{ name = 'FETCH_HEAD' }, @{ name = 'ORIG_HEAD' }, @{ name = 'MERGE_HEAD' }, @{ name = 'thing.lock' }, @{ name = 'x' * 300 }
    ) {
        New-ClimuxWorktree $name -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxWorktreeInvalidName,*'
        (git worktree list).Count | Should -Be 1
    }

    It 'refuses to remove the main worktree named by its branch as the main worktree' {
        Remove-ClimuxWorktree main -Force -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxWorktreeIsMain,*'
        Test-Path $script:repo | Should -BeTrue
    }
}

Describe 'Runs that spend money and edit files ask first when told to' {
    BeforeAll { New-RunFixture }

    It 'Start-ClimuxRun -WhatIf starts and records nothing' {
        Start-ClimuxRun 'what if' -Provider fake-text -WhatIf | Should -BeNullOrEmpty
        Get-ClimuxSession | Should -BeNullOrEmpty
        Get-FakeInvocations | Should -BeNullOrEmpty
    }

    It 'Resume-ClimuxSession -WhatIf starts nothing' {
        $s = Start-ClimuxRun 'to resume' -Provider fake-jsonl -Wait
        Resume-ClimuxSession $s.Id -Prompt 'more' -WhatIf | Should -BeNullOrEmpty
        @(Get-ClimuxSession).Count | Should -Be 1
    }

    It 'an invalid request is refused before anything is asked' {
        Start-ClimuxRun 'x' -Provider fake-text -Mode Plan -Unrestricted -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxInvalidRunOptions,*'
    }

    It '-Unrestricted asks; where no one can answer it is refused, saying how to go on' {
        $before = @(Get-ClimuxSession).Count
        Start-ClimuxRun 'bypass' -Provider claude-code -Unrestricted -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxInvalidRunOptions,*'
        $err[0].Exception.Message | Should -Match '-Confirm:\$false'
        @(Get-ClimuxSession).Count | Should -Be $before
    }

    It '-Unrestricted runs without asking with <switches>' -ForEach @(
        @{ switches = '-Confirm:$false'; splat = @{ Confirm = $false } }, @{ switches = '-Force'; splat = @{ Force = $true } }
    ) {
        $s = Start-ClimuxRun "bypass $switches" -Provider claude-code -Unrestricted -Wait @splat
        $s.Status | Should -Be 'Completed'
        (Get-FakeInvocations | Where-Object { $_.event -eq 'start' -and $_.prompt -eq "bypass $switches" }).argv -join ' ' | Should -Match 'bypassPermissions'
    }

    It '-Unrestricted runs without asking when $ConfirmPreference is None' {
        $ConfirmPreference = 'None'
        (Start-ClimuxRun 'bypass quietly' -Provider claude-code -Unrestricted -Wait).Status | Should -Be 'Completed'
    }
}
