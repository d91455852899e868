BeforeAll {
    . $PSScriptRoot/Common.ps1
    function Git-Commit([string] $Path, [string] $File, [string] $Message) {
        Set-Content -Path (Join-Path $Path $File) -Value $Message
        git -C $Path add -A
        git -C $Path -c user.name=t -c user.email=t@example.invalid commit -q -m $Message
    }
    function New-WorktreeFixture {
        New-TestHome | Out-Null
        $script:repo = New-TestRepo 'app'
        Set-Location $script:repo
    }
}
AfterAll { Set-Location $script:RepoRoot; Get-Job | Where-Object PSJobTypeName -EQ 'ClimuxRun' | Remove-Job -Force }

Describe 'New-ClimuxWorktree' {
    BeforeEach { New-WorktreeFixture }

    It 'creates the worktree and a branch named after it, at the default branch''s tip, outside the repository' {
        $mainTip = git rev-parse --short=7 HEAD
        git switch -q -c dev
        Git-Commit $script:repo 'dev.txt' 'dev work'
        $w = New-ClimuxWorktree feature-login
        $w.Name | Should -Be 'feature-login'
        $w.Branch | Should -Be 'feature-login'
        $w.Head | Should -Be $mainTip
        $w.Base | Should -Be 'main'
        $w.Managed | Should -BeTrue
        $w.Path | Should -Not -BeLike "$script:repo*"
        Test-Path (Join-Path $w.Path 'README.md') | Should -BeTrue
        Test-Path (Join-Path $w.Path 'dev.txt') | Should -BeFalse
        git -C $w.Path rev-parse --abbrev-ref HEAD | Should -Be 'feature-login'
        (git worktree list) -join "`n" | Should -Match ([regex]::Escape($w.Path))
        git status --porcelain | Should -BeNullOrEmpty
    }

    It 'takes -Branch and -Base, and checks out an existing branch' {
        Git-Commit $script:repo 'second.txt' 'second'
        $first = git rev-parse HEAD~1
        $w = New-ClimuxWorktree bugfix-old -Branch fix/old-thing -Base $first
        $w.Branch | Should -Be 'fix/old-thing'
        (git -C $w.Path rev-parse HEAD) | Should -Be $first
        git branch --list 'bugfix-old' | Should -BeNullOrEmpty

        git branch existing-work
        $again = New-ClimuxWorktree feature-existing -Branch existing-work
        $again.Branch | Should -Be 'existing-work'
        $named = New-ClimuxWorktree hotfix-x -Branch hotfix-x
        $named.Branch | Should -Be 'hotfix-x'
        git branch hotfix-y
        (New-ClimuxWorktree hotfix-y).Branch | Should -Be 'hotfix-y'
        (git branch --format '%(refname:short)') | Where-Object { $_ -like 'hotfix-y-*' } | Should -BeNullOrEmpty
    }

    It 'refuses a branch that another worktree has checked out, and an existing branch with another -Base' {
        New-ClimuxWorktree feature-a | Out-Null
        New-ClimuxWorktree feature-b -Branch feature-a -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxWorktreeBranchConflict,*'
        Git-Commit $script:repo 'x.txt' 'x'
        git branch older HEAD~1
        New-ClimuxWorktree feature-c -Branch older -Base main -ErrorVariable err2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err2[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxWorktreeBranchConflict,*'
        New-ClimuxWorktree feature-d -Base no-such-ref -ErrorVariable err3 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err3[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxWorktreeBaseNotFound,*'
    }

    It 'refuses names with path separators, .. or characters git refuses' -ForEach @(
        @{ name = 'a/b' }, @{ name = 'a\b' }, @{ name = '..' }, @{ name = 'a..b' }, @{ name = 'a~b' }, @{ name = 'a:b' },
        @{ name = 'a b' }, @{ name = '-x' }, @{ name = 'x.lock' }, @{ name = 'a*' }, @{ name = 'a?' }, @{ name = '.hidden' }
    ) {
        New-ClimuxWorktree $name -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxWorktreeInvalidName,*'
        (git worktree list).Count | Should -Be 1
    }

    It 'warns about names outside the conventions only when worktrees.enforceNaming is set' {
        New-ClimuxWorktree misc-a -WarningVariable w1 | Out-Null
        $w1 | Should -BeNullOrEmpty
        Set-ClimuxConfig worktrees.enforceNaming $true
        New-ClimuxWorktree misc-b -WarningVariable w2 -WarningAction SilentlyContinue | Out-Null
        $w2.Message | Should -Match 'naming conventions'
        New-ClimuxWorktree experiment-ok -WarningVariable w3 | Out-Null
        $w3 | Should -BeNullOrEmpty
        (Get-ClimuxWorktree misc-b).Name | Should -Be 'misc-b'
    }

    It 'copies worktrees.copy files and .worktreeinclude matches into the new worktree' {
        Set-Content (Join-Path $script:repo '.gitignore') "*.local`n.env`nsecrets/"
        git add .gitignore; git -c user.name=t -c user.email=t@example.invalid commit -q -m ignore
        Set-Content (Join-Path $script:repo '.env') 'API=1'
        New-Item -ItemType Directory (Join-Path $script:repo 'config') | Out-Null
        Set-Content (Join-Path $script:repo 'config/app.local') 'local'
        Set-Content (Join-Path $script:repo 'config/other.local') 'other'
        New-Item -ItemType Directory (Join-Path $script:repo 'secrets') | Out-Null
        Set-Content (Join-Path $script:repo 'secrets/key.pem') 'pem'
        Set-Content (Join-Path $script:repo 'local.settings.json') '{}'   # untracked, and not ignored either
        Set-Content (Join-Path $script:repo '.worktreeinclude') "# local settings`nconfig/app.local`nsecrets/`nlocal.settings.json"
        git add .worktreeinclude; git -c user.name=t -c user.email=t@example.invalid commit -q -m include

        $w = New-ClimuxWorktree feature-env
        Get-Content (Join-Path $w.Path '.env') | Should -Be 'API=1'
        Get-Content (Join-Path $w.Path 'config/app.local') | Should -Be 'local'
        Test-Path (Join-Path $w.Path 'config/other.local') | Should -BeFalse
        Get-Content (Join-Path $w.Path 'secrets/key.pem') | Should -Be 'pem'
        Get-Content (Join-Path $w.Path 'local.settings.json') | Should -Be '{}'
        $w.Dirty | Should -BeFalse
        Remove-ClimuxWorktree feature-env
        Test-Path $w.Path | Should -BeFalse
    }

    It 'refuses a dirty base with -Clean' {
        Add-Content (Join-Path $script:repo 'README.md') 'uncommitted'
        New-ClimuxWorktree feature-clean -Clean -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxWorktreeDirtyBase,*'
        (New-ClimuxWorktree feature-dirty-ok).Name | Should -Be 'feature-dirty-ok'
    }

    It 'never collides between repositories with the same folder name' {
        $first = New-ClimuxWorktree feature-same
        $other = New-TestRepo 'app'
        Set-Location $other
        $second = New-ClimuxWorktree feature-same
        $second.Path | Should -Not -Be $first.Path
        Split-Path $second.Path -Leaf | Should -Be 'feature-same'
    }

    It 'keeps a worktrees.root inside the repository out of its status' {
        Set-ClimuxConfig worktrees.root '.worktrees'
        $w = New-ClimuxWorktree feature-inside
        $w.Path | Should -BeLike (Join-Path $script:repo '.worktrees/*')
        git status --porcelain | Should -BeNullOrEmpty
    }

    It 'supports -WhatIf' {
        New-ClimuxWorktree feature-whatif -WhatIf
        (git worktree list).Count | Should -Be 1
        git branch --list feature-whatif | Should -BeNullOrEmpty
    }
}

Describe 'Get-ClimuxWorktree' {
    BeforeAll {
        New-WorktreeFixture
        Set-FakeProviders
        $script:a = New-ClimuxWorktree feature-a
        $script:b = New-ClimuxWorktree feature-b
        Git-Commit $script:a.Path 'a.txt' 'work on a'
        Git-Commit $script:repo 'main.txt' 'main moves on'
        Add-Content (Join-Path $script:b.Path 'README.md') 'edit'
        Start-ClimuxRun 'in b' -Provider fake-text -Worktree feature-b -Wait | Out-Null
    }

    It 'lists the main worktree and every worktree with branch, head, dirty, ahead/behind and sessions' {
        $all = Get-ClimuxWorktree
        $all.Name | Should -Be @('app', 'feature-a', 'feature-b')
        $all[0].IsMain | Should -BeTrue
        $a = $all | Where-Object Name -EQ 'feature-a'
        ($a.Ahead, $a.Behind, $a.Dirty, $a.Unmerged) | Should -Be @(1, 1, $false, $true)
        $a.Head | Should -Be (git -C $script:a.Path rev-parse --short=7 HEAD)
        $b = $all | Where-Object Name -EQ 'feature-b'
        ($b.Dirty, $b.TotalSessions, $b.ActiveSessions) | Should -Be @($true, 1, 0)
        $b.LastActivity | Should -BeGreaterThan (Get-Date).AddMinutes(-5)
        (Get-ClimuxWorktree).Name | Should -Contain 'feature-b'
    }

    It 'filters by wildcard and reports an unknown name' {
        (Get-ClimuxWorktree feature-*).Count | Should -Be 2
        Get-ClimuxWorktree FEATURE-A -ErrorVariable caseErr | ForEach-Object Name | Should -Be 'feature-a'
        $caseErr | Should -BeNullOrEmpty
        Get-ClimuxWorktree nope -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxWorktreeNotFound,*'
    }

    It 'shows worktrees made with git itself too' {
        git worktree add -q -b by-git (Join-Path (Split-Path $script:repo) 'by-git') 2>&1 | Out-Null
        $w = Get-ClimuxWorktree by-git
        $w.Managed | Should -BeFalse
        $w.Base | Should -Be 'main'
    }
}

Describe 'Remove-ClimuxWorktree' {
    BeforeEach {
        New-WorktreeFixture
        Set-FakeProviders
    }

    It 'removes clean, merged worktrees in a batch by name pattern, pruning git''s records' {
        1..3 | ForEach-Object { New-ClimuxWorktree "experiment-$_" } | Out-Null
        New-ClimuxWorktree feature-keep | Out-Null
        Get-ClimuxWorktree experiment-* | Remove-ClimuxWorktree
        (git worktree list) -join "`n" | Should -Not -Match 'experiment-'
        (git worktree list).Count | Should -Be 2
        (Get-ClimuxWorktree).Name | Should -Be @('app', 'feature-keep')
        git branch --list 'experiment-*' | Should -Not -BeNullOrEmpty
        Test-Path (Join-Path $env:CLIMUX_HOME 'worktrees') | Should -BeTrue
        Get-ChildItem (Join-Path $env:CLIMUX_HOME 'worktrees/*') -Directory | ForEach-Object { Get-ChildItem $_ -Directory } |
            ForEach-Object Name | Should -Be 'feature-keep'
    }

    It 'deletes the branch with -DeleteBranch' {
        New-ClimuxWorktree experiment-x | Out-Null
        Remove-ClimuxWorktree experiment-x -DeleteBranch
        git branch --list experiment-x | Should -BeNullOrEmpty
    }

    It 'refuses a dirty worktree unless -Force' {
        $w = New-ClimuxWorktree feature-dirty
        Set-Content (Join-Path $w.Path 'new.txt') 'untracked'
        Remove-ClimuxWorktree feature-dirty -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxWorktreeDirty,*'
        Test-Path $w.Path | Should -BeTrue
        Remove-ClimuxWorktree feature-dirty -Force
        Test-Path $w.Path | Should -BeFalse
    }

    It 'refuses commits that are in neither its base nor its upstream unless -Force' {
        $w = New-ClimuxWorktree feature-work
        Git-Commit $w.Path 'work.txt' 'unmerged work'
        Remove-ClimuxWorktree feature-work -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxWorktreeUnmerged,*'
        git merge -q feature-work
        Remove-ClimuxWorktree feature-work
        Test-Path $w.Path | Should -BeFalse
    }

    It 'accepts commits that its upstream has' {
        $remote = Join-Path (Split-Path $script:repo) 'remote.git'
        git init -q --bare $remote
        git remote add origin $remote
        $w = New-ClimuxWorktree feature-pushed
        Git-Commit $w.Path 'pushed.txt' 'pushed work'
        git -C $w.Path push -q -u origin feature-pushed 2>&1 | Out-Null
        Remove-ClimuxWorktree feature-pushed
        Test-Path $w.Path | Should -BeFalse
    }

    It 'refuses a worktree with an active session unless -Force, which stops it' {
        New-ClimuxWorktree feature-busy | Out-Null
        $job = Start-ClimuxRun 'busy [[hang]]' -Provider claude-code -Worktree feature-busy
        Remove-ClimuxWorktree feature-busy -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxWorktreeActive,*'
        Remove-ClimuxWorktree feature-busy -Force
        (Get-ClimuxSession $job.SessionId).Status | Should -Be 'Stopped'
        (git worktree list).Count | Should -Be 1
        Remove-Job $job -Force
    }

    It 'refuses a locked worktree unless -Force' {
        $w = New-ClimuxWorktree experiment-locked
        git worktree lock $w.Path
        Remove-ClimuxWorktree experiment-locked -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxWorktreeLocked,*'
        (Get-ClimuxWorktree experiment-locked).Locked | Should -BeTrue
        Remove-ClimuxWorktree experiment-locked -Force
        (git worktree list).Count | Should -Be 1
    }

    It 'never removes the main worktree, even with -Force' {
        Get-ClimuxWorktree app | Remove-ClimuxWorktree -Force -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxWorktreeIsMain,*'
        Test-Path (Join-Path $script:repo '.git') | Should -BeTrue
    }

    It 'supports -WhatIf' {
        New-ClimuxWorktree experiment-whatif | Out-Null
        Remove-ClimuxWorktree experiment-whatif -WhatIf
        (Get-ClimuxWorktree experiment-whatif).Name | Should -Be 'experiment-whatif'
    }
}

Describe 'Start-ClimuxRun -Worktree' {
    BeforeAll {
        New-WorktreeFixture
        Set-FakeProviders
        New-ClimuxWorktree feature-run | Out-Null
    }

    It 'runs in the named worktree' {
        $s = Start-ClimuxRun 'here [[write-file:done.txt]]' -Provider fake-text -Worktree feature-run -Wait
        $s.Worktree | Should -Be 'feature-run'
        $s.Branch | Should -Be 'feature-run'
        $s.Directory | Should -Be (Get-ClimuxWorktree feature-run).Path
        Test-Path (Join-Path $s.Directory 'done.txt') | Should -BeTrue
    }

    It 'refuses a second active run in the same worktree unless -Force' {
        $first = Start-ClimuxRun 'first [[hang]]' -Provider claude-code -Worktree feature-run
        Start-ClimuxRun 'second' -Provider fake-text -Worktree feature-run -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxWorktreeBusy,*'
        $err[0].Exception.Message | Should -Match $first.SessionId
        $forced = Start-ClimuxRun 'second' -Provider fake-text -Worktree feature-run -Force -Wait
        $forced.Status | Should -Be 'Completed'
        Stop-ClimuxSession $first.SessionId
        Remove-Job $first -Force
    }

    It 'says when the worktree does not exist' {
        Start-ClimuxRun 'x' -Provider fake-text -Worktree nope -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].Exception.Message | Should -Match 'New-ClimuxWorktree nope'
    }
}
