# Fan-in end to end: agents edit and commit in parallel worktrees, then review, conflict
# prediction against git merge-tree, the merge queue, the test gate, and publishing.
BeforeAll {
    . $PSScriptRoot/Common.ps1

    # git's own answer for one pair: the conflicted paths (none when it merges cleanly).
    function Get-GitConflict([string] $Ours, [string] $Theirs) {
        $lines = @(git merge-tree --write-tree --name-only $Ours $Theirs)
        $LASTEXITCODE | Should -BeIn 0, 1
        foreach ($line in $lines | Select-Object -Skip 1) {
            if (-not $line) { break }
            $line
        }
    }

    function Get-Lines([string] $Path) { Get-Content $Path }

    New-TestHome | Out-Null
    $script:repo = New-TestRepo
    Set-Location $script:repo
    Set-Content shared.txt ((1..20 | ForEach-Object { "line $_" }) -join "`n")
    git add -A; git commit -q -m 'shared file'
    Set-ClimuxConfig providers.script-agent @{ command = '/bin/sh'; args = @((Join-Path $PSScriptRoot 'fanin-agent.sh'), '{prompt}'); output = 'text' }

    # Phase 1 in parallel: two agents edit the same line, a third another line and a new file.
    $script:tasks = [ordered]@{
        'feature-a' = 'line shared.txt 2 from-a'
        'feature-b' = 'line shared.txt 2 from-b'
        'feature-c' = 'line shared.txt 15 from-c;write c.txt made-by-c'
    }
    $script:tasks.Keys | New-ClimuxWorktree | Out-Null
    $jobs = foreach ($name in $script:tasks.Keys) { Start-ClimuxRun $script:tasks[$name] -Provider script-agent -Worktree $name }
    $script:sessions = $jobs | Wait-ClimuxSession -Timeout 120
    $script:mainHead = git rev-parse HEAD
}
AfterAll { Set-Location $script:RepoRoot; Get-Job | Where-Object PSJobTypeName -EQ 'ClimuxRun' | Remove-Job -Force }

Describe 'Fan-in: review, predict, merge in order, publish' {
    It 'the agents made their edits and committed them' {
        $script:sessions.Status | Sort-Object -Unique | Should -Be 'Completed'
        foreach ($name in $script:tasks.Keys) {
            git -C (Get-ClimuxWorktree $name).Path status --porcelain | Should -BeNullOrEmpty
            (Get-ClimuxWorktree $name).Ahead | Should -Be 1
        }
    }

    It 'Get-ClimuxWorktreeChange shows what each worktree changed, with -Patch the diff' {
        $changes = Get-ClimuxWorktreeChange
        ($changes | ForEach-Object { "$($_.Worktree) $($_.Status) $($_.Path) +$($_.LinesAdded) -$($_.LinesRemoved)" }) | Should -Be @(
            'feature-a Modified shared.txt +1 -1'
            'feature-b Modified shared.txt +1 -1'
            'feature-c Added c.txt +1 -0'
            'feature-c Modified shared.txt +1 -1')
        $patch = Get-ClimuxWorktree feature-a | Get-ClimuxWorktreeChange -Patch
        $patch.Patch | Should -Match '(?m)^\+from-a$'
        $patch.Patch | Should -Match '(?m)^-line 2$'
        (Get-ClimuxWorktreeChange feature-c)[0].PSObject.Properties.Name | Should -Be @('Worktree', 'Path', 'OldPath', 'Status', 'LinesAdded', 'LinesRemoved', 'Binary', 'Patch')
    }

    It 'Get-ClimuxConflict agrees with git merge-tree --write-tree on every pair' {
        $conflicts = Get-ClimuxConflict
        $names = @($script:tasks.Keys)
        $pairs = for ($i = 0; $i -lt $names.Count; $i++) {
            , @($names[$i], 'main')
            for ($j = $i + 1; $j -lt $names.Count; $j++) { , @($names[$i], $names[$j]) }
        }
        foreach ($pair in $pairs) {
            $git = @(Get-GitConflict $pair[1] $pair[0])
            $mine = @($conflicts | Where-Object { $_.Worktree -eq $pair[0] -and $_.Other -eq $pair[1] } | ForEach-Object Path)
            ($mine -join ',') | Should -Be ($git -join ',') -Because "$($pair -join ' <> ') must conflict where git says"
        }
        $conflicts | Should -HaveCount 1
        "$($conflicts.Worktree) $($conflicts.Other) $($conflicts.Path) $($conflicts.Kind)" | Should -Be 'feature-a feature-b shared.txt Content'
        git -C $script:repo rev-parse HEAD | Should -Be $script:mainHead
        git -C $script:repo status --porcelain | Should -BeNullOrEmpty
    }

    It 'counts uncommitted work, without touching it' {
        $path = (Get-ClimuxWorktree feature-c).Path
        Add-Content (Join-Path $path 'c.txt') 'uncommitted'
        Set-Content (Join-Path $path 'd.txt') 'untracked'
        try {
            (Get-ClimuxWorktreeChange feature-c).Path | Should -Be @('c.txt', 'd.txt', 'shared.txt')
            (Get-ClimuxWorktree feature-c).ChangedFiles | Should -Be 3
            @(git -C $path status --porcelain) | Should -Be @(' M c.txt', '?? d.txt')
        }
        finally {
            git -C $path checkout -q -- c.txt
            Remove-Item (Join-Path $path 'd.txt')
        }
    }

    It '-WhatIf says what would merge and what would conflict, and merges nothing' {
        New-ClimuxWorktree integration-whatif | Out-Null
        $before = git -C (Get-ClimuxWorktree integration-whatif).Path rev-parse HEAD
        # What-if text goes to the host: read it from a fresh pwsh's output.
        $said = Invoke-FreshPwsh -Script "Set-Location '$script:repo'; Merge-ClimuxWorktree feature-a, feature-b, feature-c -Into integration-whatif -WhatIf" | Out-String
        $said | Should -Match "Merging 'feature-a' into 'integration-whatif' \(integration-whatif\): fast-forward"
        $said | Should -Match "Merging 'feature-b' .*: conflict in shared.txt \(Content\)"
        $said | Should -Match "Merging 'feature-c' .*: merge cleanly"
        git -C (Get-ClimuxWorktree integration-whatif).Path rev-parse HEAD | Should -Be $before
    }

    It 'merges in order into an integration worktree: a conflict leaves it clean and the queue goes on; main is untouched' {
        $integration = New-ClimuxWorktree integration
        $results = 'feature-a', 'feature-b', 'feature-c' | Merge-ClimuxWorktree -Into integration
        ($results | ForEach-Object { "$($_.Worktree) $($_.Status)" }) | Should -Be @('feature-a FastForward', 'feature-b Conflicted', 'feature-c Merged')
        $results[1].Conflicts | Should -Be @('shared.txt')
        $results[1].Commit | Should -Be $results[0].Commit
        $results[2].PSObject.Properties.Name | Should -Contain 'ResolutionSessionId'

        $lines = Get-Lines (Join-Path $integration.Path 'shared.txt')
        $lines[1] | Should -Be 'from-a'
        $lines[14] | Should -Be 'from-c'
        Get-Content (Join-Path $integration.Path 'c.txt') | Should -Be 'made-by-c'
        ($lines -join "`n") | Should -Not -Match '<<<<<<<|>>>>>>>'
        git -C $integration.Path status --porcelain | Should -BeNullOrEmpty
        Test-Path (Join-Path (git -C $integration.Path rev-parse --absolute-git-dir) 'MERGE_HEAD') | Should -BeFalse
        @(git -C $integration.Path log -1 --format=%P).Split(' ') | Should -HaveCount 2
        $message = git -C $integration.Path log -1 --format=%B | Out-String
        $message | Should -Match "Merge worktree 'feature-c' into integration"
        $message | Should -Match ([regex]::Escape((Get-ClimuxSession -Worktree feature-c).Id))

        git -C $script:repo rev-parse HEAD | Should -Be $script:mainHead
        git -C $script:repo status --porcelain | Should -BeNullOrEmpty
        (Get-ClimuxWorktree integration).ChangedFiles | Should -Be 2
    }

    It 'undoes a merge whose -Test fails, with the end of its output' {
        $target = New-ClimuxWorktree integration-tested
        $result = Merge-ClimuxWorktree feature-c -Into integration-tested -Test 'echo running the tests; grep -q from-a shared.txt'
        $result.Status | Should -Be 'TestFailed'
        $result.TestOutput | Should -Match 'running the tests'
        git -C $target.Path rev-parse HEAD | Should -Be $script:mainHead
        git -C $target.Path status --porcelain | Should -BeNullOrEmpty
        (Merge-ClimuxWorktree feature-a -Into integration-tested -Test 'grep -q from-a shared.txt').Status | Should -Be 'FastForward'
    }

    It 'refuses a dirty target, and an unknown one' {
        $target = New-ClimuxWorktree integration-dirty
        Set-Content (Join-Path $target.Path 'notes.txt') 'work in progress'
        { Merge-ClimuxWorktree feature-a -Into integration-dirty -ErrorAction Stop } | Should -Throw -ErrorId 'ClimuxWorktreeDirty,*'
        git -C $target.Path rev-parse HEAD | Should -Be $script:mainHead
        { Merge-ClimuxWorktree feature-a -Into no-such-worktree -ErrorAction Stop } | Should -Throw -ErrorId 'ClimuxWorktreeNotFound,*'
        Remove-Item (Join-Path $target.Path 'notes.txt')
        Merge-ClimuxWorktree integration-dirty -Into integration-dirty -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxMergeIntoItself,*'
    }

    It 'Get-ClimuxWorktree shows the base branch; Remove-ClimuxWorktree counts a merged branch as merged' {
        $c = Get-ClimuxWorktree feature-c
        $c.BaseBranch | Should -Be 'main'
        $c.Unmerged | Should -BeFalse   # merged into integration, not into main
        (Get-ClimuxWorktree feature-b).Unmerged | Should -BeTrue
        Remove-ClimuxWorktree feature-b -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxWorktreeUnmerged,*'
        Remove-ClimuxWorktree feature-c -DeleteBranch
        Get-ClimuxWorktree feature-c -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        git -C $script:repo for-each-ref refs/climux/merged/feature-c | Should -BeNullOrEmpty
    }

    It 'the main worktree can be the target when clean' {
        $result = Merge-ClimuxWorktree integration -Into (Split-Path -Leaf $script:repo)
        $result.Status | Should -Be 'FastForward'
        git -C $script:repo rev-parse main | Should -Be $result.Commit
        git -C $script:repo status --porcelain | Should -BeNullOrEmpty
        $script:mainHead = $result.Commit
    }

    It 'completes -Into with every worktree, the main one too, and -Name with the others' {
        $into = TabExpansion2 -inputScript 'Merge-ClimuxWorktree feature-a -Into ' -cursorColumn 'Merge-ClimuxWorktree feature-a -Into '.Length
        $into.CompletionMatches.CompletionText | Should -Contain (Split-Path -Leaf $script:repo)
        $into.CompletionMatches.CompletionText | Should -Contain 'integration'
        $name = TabExpansion2 -inputScript 'Get-ClimuxConflict feat' -cursorColumn 'Get-ClimuxConflict feat'.Length
        $name.CompletionMatches.CompletionText | Should -Be @('feature-a', 'feature-b')
    }
}

Describe 'Merge-ClimuxWorktree -ResolveWith: an agent resolves the conflict, Climux checks and commits' {
    BeforeAll {
        $resolver = Join-Path $PSScriptRoot 'fanin-resolver.sh'
        Set-ClimuxConfig providers.resolver @{ command = '/bin/sh'; args = @($resolver, 'keep-both', '{prompt}'); output = 'text' }
        Set-ClimuxConfig providers.sloppy-resolver @{ command = '/bin/sh'; args = @($resolver, 'leave-marks', '{prompt}'); output = 'text' }
        # main has feature-a's line 2 now, so feature-b conflicts with it.
        $script:target = New-ClimuxWorktree integration-resolved
        $script:before = git -C $script:target.Path rev-parse HEAD
    }

    It 'undoes the merge when the agent leaves conflict markers: Conflicted, with its session' {
        $result = Merge-ClimuxWorktree feature-b -Into integration-resolved -ResolveWith sloppy-resolver
        $result.Status | Should -Be 'Conflicted'
        $result.Conflicts | Should -Be @('shared.txt')
        $result.Message | Should -Match 'Conflict markers remain in shared.txt'
        $session = Get-ClimuxSession -Id $result.ResolutionSessionId
        "$($session.Provider) $($session.Status) $($session.Mode) $($session.Worktree)" | Should -Be 'sloppy-resolver Completed Task integration-resolved'
        git -C $script:target.Path rev-parse HEAD | Should -Be $script:before
        git -C $script:target.Path status --porcelain | Should -BeNullOrEmpty
        Test-Path (Join-Path (git -C $script:target.Path rev-parse --absolute-git-dir) 'MERGE_HEAD') | Should -BeFalse
        Get-Content (Join-Path $script:target.Path 'shared.txt') | Should -Not -Match '<<<<<<<|>>>>>>>'
    }

    It 'commits a real merge commit once the agent resolved it: Resolved, with the session' {
        $result = Merge-ClimuxWorktree feature-b -Into integration-resolved -ResolveWith resolver -Test 'grep -q from-b shared.txt'
        $result.Status | Should -Be 'Resolved'
        $result.Conflicts | Should -Be @('shared.txt')
        $session = Get-ClimuxSession -Id $result.ResolutionSessionId
        "$($session.Provider) $($session.Status) $($session.Mode)" | Should -Be 'resolver Completed Task'
        # The prompt lists the conflicted file and what each side was for.
        $session.Prompt | Should -Match '(?m)^- shared\.txt\r?$'
        $session.Prompt | Should -Match 'line shared.txt 2 from-b'
        $session.Result | Should -Match 'Resolved shared.txt'

        $path = $script:target.Path
        git -C $path rev-parse HEAD | Should -Be $result.Commit
        @(git -C $path log -1 --format=%P).Split(' ') | Should -Be @($script:before, (git -C $path rev-parse feature-b))
        git -C $path log -1 --format=%B | Out-String | Should -Match "Conflicts resolved by session $($result.ResolutionSessionId)"
        $lines = Get-Content (Join-Path $path 'shared.txt')
        $lines[1..2] | Should -Be @('from-a', 'from-b')
        ($lines -join "`n") | Should -Not -Match '<<<<<<<|=======|>>>>>>>'
        git -C $path status --porcelain | Should -BeNullOrEmpty
        git -C $path ls-files --unmerged | Should -BeNullOrEmpty
        Test-Path (Join-Path (git -C $path rev-parse --absolute-git-dir) 'MERGE_HEAD') | Should -BeFalse
    }

    It 'refuses an unknown resolver before merging anything' {
        $head = git -C $script:target.Path rev-parse HEAD
        { Merge-ClimuxWorktree feature-a -Into integration-resolved -ResolveWith no-such-agent -ErrorAction Stop } | Should -Throw -ErrorId 'ClimuxProviderNotFound,*'
        git -C $script:target.Path rev-parse HEAD | Should -Be $head
    }
}

Describe 'Start-ClimuxRun -MergeDependencies: phase 2 starts on its dependencies'' merged work' {
    It 'merges the dependencies in order, then its agent sees their work and adds its own' {
        'dep-x', 'dep-y', 'phase2' | New-ClimuxWorktree | Out-Null
        $x = Start-ClimuxRun 'write x.txt from-x' -Provider script-agent -Worktree dep-x
        $y = Start-ClimuxRun 'write y.txt from-y' -Provider script-agent -Worktree dep-y
        $session = Start-ClimuxRun 'append seen.txt x.txt;append seen.txt y.txt;write p.txt from-phase2' -Provider script-agent -Worktree phase2 `
            -DependsOn $x, $y -MergeDependencies -Wait
        $session.Status | Should -Be 'Completed'
        $path = (Get-ClimuxWorktree phase2).Path
        Get-Content (Join-Path $path 'seen.txt') | Should -Be @('from-x', 'from-y')
        Get-Content (Join-Path $path 'p.txt') | Should -Be 'from-phase2'
        git -C $path log --format=%s | Should -Contain "Merge worktree 'dep-y' into phase2"
        git -C $path status --porcelain | Should -BeNullOrEmpty
        (Get-ClimuxSessionLog $session.Id).Text | Should -Contain "Merged dependency worktree 'dep-x' into 'phase2': FastForward ($((git -C (Get-ClimuxWorktree dep-x).Path rev-parse HEAD).Substring(0, 7)))."
    }

    It 'a conflict between the dependencies fails the run before its agent starts, naming paths and worktrees' {
        New-ClimuxWorktree phase2-conflict | Out-Null
        $dependencies = (Get-ClimuxSession -Worktree feature-a), (Get-ClimuxSession -Worktree feature-b)
        $session = Start-ClimuxRun 'write p.txt from-phase2' -Provider script-agent -Worktree phase2-conflict -DependsOn $dependencies.Id -MergeDependencies -Wait `
            -ErrorVariable err -ErrorAction SilentlyContinue
        $session.Status | Should -Be 'Failed'
        $session.Error | Should -Match "conflicts: 'feature-b' with 'phase2-conflict' in shared.txt"
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxRunFailed,*'
        Test-Path (Join-Path (Get-ClimuxWorktree phase2-conflict).Path 'p.txt') | Should -BeFalse
        git -C (Get-ClimuxWorktree phase2-conflict).Path status --porcelain | Should -BeNullOrEmpty
    }

    It 'refuses -MergeDependencies without -DependsOn' {
        Start-ClimuxRun 'x' -Provider script-agent -Worktree phase2 -MergeDependencies -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ClimuxInvalidRunOptions,*'
    }
}

Describe 'Publish-ClimuxWorktree' {
    BeforeAll {
        $script:remote = Join-Path (Split-Path $script:repo) 'remote.git'
        git init -q --bare $script:remote
        $script:bin = Join-Path (Split-Path $script:repo) 'bin'
        New-Item -ItemType Directory $script:bin | Out-Null
        # A stand-in for gh that records its arguments and answers with a pull request's address.
        Set-Content (Join-Path $script:bin 'gh') "#!/bin/sh`nprintf '%s\n' `"`$@`" > '$script:bin/gh-args'`necho https://github.com/example/app/pull/42"
        chmod +x (Join-Path $script:bin 'gh')
        $script:path = $env:PATH
    }
    AfterEach { $env:PATH = $script:path }

    It 'says what to do when there is no remote' {
        { Publish-ClimuxWorktree feature-a -ErrorAction Stop } | Should -Throw -ErrorId 'ClimuxRemoteNotFound,*'
        { Publish-ClimuxWorktree feature-a -ErrorAction Stop } | Should -Throw '*git remote add origin <url>*'
    }

    It 'pushes the branch to a bare remote and sets its upstream' {
        git -C $script:repo remote add origin $script:remote
        $result = Publish-ClimuxWorktree feature-a
        "$($result.Worktree) $($result.Branch) $($result.Remote) $($result.Pushed)" | Should -Be 'feature-a feature-a origin True'
        git --git-dir $script:remote rev-parse feature-a | Should -Be (git -C (Get-ClimuxWorktree feature-a).Path rev-parse HEAD)
        git -C (Get-ClimuxWorktree feature-a).Path rev-parse --abbrev-ref '@{upstream}' | Should -Be 'origin/feature-a'
    }

    It 'opens a pull request with gh, titled by the first prompt and described by the sessions' {
        $env:PATH = $script:bin + [IO.Path]::PathSeparator + $env:PATH
        $result = Get-ClimuxWorktree feature-b | Publish-ClimuxWorktree -PullRequest
        $result.PullRequestUrl | Should -Be 'https://github.com/example/app/pull/42'
        $arguments = Get-Content (Join-Path $script:bin 'gh-args') -Raw
        $arguments | Should -Match '(?m)^pr\n^create\n^--head\n^feature-b\n^--title\n^line shared.txt 2 from-b\n^--body\n'
        $arguments | Should -Match ([regex]::Escape((Get-ClimuxSession -Worktree feature-b).Id))
        $arguments | Should -Match '## Files changed \(1\)'
        $arguments | Should -Match '(?m)^--base\n^main$'

        $integration = Publish-ClimuxWorktree integration -PullRequest -Title 'Features A and C' -Draft
        $integration.Pushed | Should -BeTrue
        (Get-Content (Join-Path $script:bin 'gh-args'))[5] | Should -Be 'Features A and C'
        (Get-Content (Join-Path $script:bin 'gh-args'))[-1] | Should -Be '--draft'
        git --git-dir $script:remote rev-parse integration | Should -Be (git -C (Get-ClimuxWorktree integration).Path rev-parse HEAD)
    }

    It 'says how to get gh when it is missing, before pushing anything' {
        $only = Join-Path (Split-Path $script:repo) 'only-git'
        New-Item -ItemType Directory $only -Force | Out-Null
        New-Item -ItemType SymbolicLink -Path (Join-Path $only 'git') -Target (Get-Command git -CommandType Application)[0].Source -Force | Out-Null
        $env:PATH = $only
        { Publish-ClimuxWorktree integration-tested -PullRequest -ErrorAction Stop } | Should -Throw -ErrorId 'ClimuxGhNotFound,*'
        $env:PATH = $script:path
        git --git-dir $script:remote branch --list integration-tested | Should -BeNullOrEmpty
    }

    It 'supports -WhatIf' {
        Publish-ClimuxWorktree integration-whatif -WhatIf
        git --git-dir $script:remote branch --list integration-whatif | Should -BeNullOrEmpty
    }
}
