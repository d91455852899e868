# The three orchestration patterns Climux was made for, end to end with fake agents.
BeforeAll { . $PSScriptRoot/Common.ps1 }
AfterAll { Set-Location $script:RepoRoot; Get-Job | Where-Object PSJobTypeName -EQ 'ClimuxRun' | Remove-Job -Force }

Describe 'Feature decomposition: N worktrees, N parallel runs, status, wait, push' {
    BeforeAll {
        New-TestHome | Out-Null
        Set-FakeProviders
        $script:repo = New-TestRepo
        Set-Location $script:repo
        $script:remote = Join-Path (Split-Path $script:repo) 'remote.git'
        git init -q --bare $script:remote
        git -C $script:repo remote add origin $script:remote
    }

    It 'runs one agent per worktree with a mix of providers and pushes every branch' {
        $features = [ordered]@{ 'feature-auth' = 'claude-code'; 'feature-api' = 'codex'; 'feature-ui' = 'gemini-cli' }
        $worktrees = $features.Keys | New-ClimuxWorktree
        $worktrees.Count | Should -Be 3

        $jobs = foreach ($name in $features.Keys) {
            Start-ClimuxRun "implement $name [[write-file:$name.txt]] [[sleep:300]]" -Provider $features[$name] -Worktree $name
        }
        $jobs.Count | Should -Be 3

        $status = Get-ClimuxSession -Workspace .
        $status.Count | Should -Be 3
        $status.Status | ForEach-Object { $_ | Should -BeIn 'Queued', 'Running', 'Completed' }

        $done = $jobs | Wait-ClimuxSession -Timeout 120
        $done.Status | Sort-Object -Unique | Should -Be 'Completed'
        foreach ($session in $done) {
            $session.Worktree | Should -BeIn $features.Keys
            $session.Provider | Should -Be $features[$session.Worktree]
            $session.Directory | Should -Be ($worktrees | Where-Object Name -EQ $session.Worktree).Path
            $session.Branch | Should -Be $session.Worktree
            $session.FilesChanged | Should -Be 1
            Test-Path (Join-Path $session.Directory "$($session.Worktree).txt") | Should -BeTrue
        }

        foreach ($name in $features.Keys) {
            $path = (Get-ClimuxWorktree $name).Path
            git -C $path add -A
            git -C $path -c user.name=t -c user.email=t@example.invalid commit -q -m "agent work on $name"
            git -C $path push -q origin $name 2>&1 | Out-Null
        }
        $pushed = git --git-dir $script:remote branch --format '%(refname:short)'
        $pushed | Sort-Object | Should -Be ($features.Keys | Sort-Object)
    }
}

Describe 'Bug-fix swarm: a loop that makes a worktree and starts a run per bug' {
    BeforeAll {
        New-TestHome | Out-Null
        Set-FakeProviders
        $script:repo = New-TestRepo
        Set-Location $script:repo
    }

    It 'gives every bug its own worktree, session and fix' {
        $bugs = 101..105
        $jobs = foreach ($bug in $bugs) {
            New-ClimuxWorktree "bugfix-$bug" | Out-Null
            Start-ClimuxRun "fix bug #$bug [[write-file:fix-$bug.txt]]" -Provider fake-text -Worktree "bugfix-$bug" -Name "bug-$bug"
        }
        $sessions = $jobs | Wait-ClimuxSession -Timeout 120
        $sessions.Count | Should -Be 5
        $sessions.Status | Sort-Object -Unique | Should -Be 'Completed'
        foreach ($bug in $bugs) {
            $session = Get-ClimuxSession "bug-$bug"
            $session.Worktree | Should -Be "bugfix-$bug"
            Test-Path (Join-Path $session.Directory "fix-$bug.txt") | Should -BeTrue
            # Nothing leaks into the other worktrees or the main one.
            Test-Path (Join-Path $script:repo "fix-$bug.txt") | Should -BeFalse
        }
        (Get-ClimuxSession -Worktree bugfix-103).Prompt | Should -Be 'fix bug #103 [[write-file:fix-103.txt]]'
        (Get-ClimuxWorktree bugfix-*).TotalSessions | Should -Be @(1, 1, 1, 1, 1)

        # The fixes are done and committed back: clean up every bug-fix worktree at once.
        foreach ($bug in $bugs) {
            $path = (Get-ClimuxWorktree "bugfix-$bug").Path
            git -C $path add -A
            git -C $path -c user.name=t -c user.email=t@example.invalid commit -q -m "fix $bug"
            git -C $script:repo merge -q "bugfix-$bug" 2>&1 | Out-Null
        }
        Get-ClimuxWorktree bugfix-* | Remove-ClimuxWorktree -DeleteBranch
        (git -C $script:repo worktree list).Count | Should -Be 1
        git -C $script:repo branch --list 'bugfix-*' | Should -BeNullOrEmpty
    }
}

Describe 'Refactoring pipeline: phase 1 in parallel, then a phase-2 run that depends on it' {
    BeforeAll {
        New-TestHome | Out-Null
        Set-FakeProviders
        $script:repo = New-TestRepo
        Set-Location $script:repo
    }

    It 'starts phase 2 only after every phase-1 run has completed' {
        'refactor-models', 'refactor-views' | New-ClimuxWorktree | Out-Null
        $phase1 = @(
            Start-ClimuxRun 'extract the model layer [[sleep:400]]' -Provider claude-code -Worktree refactor-models
            Start-ClimuxRun 'extract the view layer [[sleep:200]]' -Provider opencode -Worktree refactor-views
        )
        $phase2 = Start-ClimuxRun 'update the callers to the new layers' -Provider codex -DependsOn $phase1 -Wait

        $first = Get-ClimuxSession $phase1
        $first.Status | Sort-Object -Unique | Should -Be 'Completed'
        $phase2.Status | Should -Be 'Completed'
        $phase2.DependsOn | Should -Be $first.Id
        $phase2.StartedAt | Should -BeGreaterOrEqual ($first.EndedAt | Sort-Object | Select-Object -Last 1)
    }
}
