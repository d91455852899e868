# The real agent CLIs (pinned in clis.json) driven through the built module against the loopback
# mock model API (MockModel/). Run by ./build.ps1 conformance, inside a network namespace of its
# own when one can be made, so nothing can leave the machine.
BeforeDiscovery {
    $script:Providers = @(
        @{ Provider = 'claude-code'; Cli = 'claude' }
        @{ Provider = 'codex'; Cli = 'codex' }
        @{ Provider = 'gemini-cli'; Cli = 'gemini' }
        @{ Provider = 'opencode'; Cli = 'opencode' }
        @{ Provider = 'qwen-code'; Cli = 'qwen' }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot '../pester/Common.ps1')
    $script:Bin = $env:CLIMUX_CONFORMANCE_CLI
    $script:Out = if ($env:CLIMUX_CONFORMANCE_OUT) { $env:CLIMUX_CONFORMANCE_OUT } else { Join-Path $script:RepoRoot 'out/conformance' }
    if (-not $script:Bin -or -not (Test-Path $script:Bin)) { throw 'CLIMUX_CONFORMANCE_CLI must name the folder of the installed agent CLIs (see Install-AgentClis.ps1).' }
    $mock = if ($env:CLIMUX_MOCK_MODEL) { $env:CLIMUX_MOCK_MODEL } else { Join-Path $script:RepoRoot 'out/mock/mock-model' }

    New-Item -ItemType Directory -Path (New-TestHome) | Out-Null
    $script:Requests = Join-Path $env:CLIMUX_HOME 'mock-requests.jsonl'
    $portFile = Join-Path $env:CLIMUX_HOME 'mock.out'
    $script:Mock = Start-Process -FilePath $mock -ArgumentList '--log', $script:Requests, '--parent-pid', $PID, '--idle-exit-seconds', '600' `
        -RedirectStandardOutput $portFile -PassThru
    $deadline = (Get-Date).AddSeconds(30)
    while (-not ($listening = Select-String -Path $portFile -Pattern '^LISTENING (\d+)' -ErrorAction SilentlyContinue)) {
        if ((Get-Date) -gt $deadline -or $script:Mock.HasExited) { throw 'the mock model API did not start' }
        Start-Sleep -Milliseconds 100
    }
    $script:Port = [int]$listening.Matches[0].Groups[1].Value
    $script:Base = "http://127.0.0.1:$script:Port"
    (Invoke-WebRequest "$script:Base/" -Method Head).StatusCode | Should -Be 200

    # Each CLI gets a throw-away HOME, the mock's address and everything that phones home turned off.
    $homes = Join-Path $env:CLIMUX_HOME 'cli-homes'
    $script:CliEnv = @{}
    function Set-RealProvider([string] $Provider, [string] $Cli) {
        $cliHome = Join-Path $homes $Cli
        New-Item -ItemType Directory -Path $cliHome -Force | Out-Null
        $env_ = @{ HOME = $cliHome; NO_COLOR = '1' }
        $model = $null
        switch ($Provider) {
            'claude-code' {
                $env_ += @{ ANTHROPIC_BASE_URL = $script:Base; ANTHROPIC_API_KEY = 'sk-ant-mock-key-not-real'; CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC = '1'
                    DISABLE_TELEMETRY = '1'; DISABLE_AUTOUPDATER = '1'; DISABLE_ERROR_REPORTING = '1' }
            }
            'codex' {
                $codexHome = Join-Path $cliHome '.codex'
                New-Item -ItemType Directory -Path $codexHome -Force | Out-Null
                Set-Content (Join-Path $codexHome 'config.toml') @"
model_provider = "mock"
check_for_update_on_startup = false
[model_providers.mock]
name = "mock"
base_url = "$script:Base/v1"
env_key = "MOCK_API_KEY"
wire_api = "responses"
[features]
plugins = false
remote_plugin = false
apps = false
in_app_updates = false
[analytics]
enabled = false
"@
                $env_ += @{ CODEX_HOME = $codexHome; MOCK_API_KEY = 'mock-key-not-real' }
                $model = 'gpt-5.1-codex'
            }
            'gemini-cli' {
                New-Item -ItemType Directory -Path (Join-Path $cliHome '.gemini') -Force | Out-Null
                Set-Content (Join-Path $cliHome '.gemini/settings.json') '{ "security": { "auth": { "selectedType": "gemini-api-key" } }, "privacy": { "usageStatisticsEnabled": false }, "telemetry": { "enabled": false }, "general": { "disableAutoUpdate": true, "disableUpdateNag": true } }'
                $env_ += @{ GEMINI_API_KEY = 'mock-key-not-real'; GOOGLE_GEMINI_BASE_URL = $script:Base; GEMINI_CLI_NO_RELAUNCH = 'true'; GEMINI_CLI_TRUST_WORKSPACE = 'true' }
                $model = 'gemini-2.5-flash'
            }
            'qwen-code' {
                # Qwen Code calls an OpenAI-compatible Chat Completions API.
                New-Item -ItemType Directory -Path (Join-Path $cliHome '.qwen') -Force | Out-Null
                Set-Content (Join-Path $cliHome '.qwen/settings.json') '{ "security": { "auth": { "selectedType": "openai" } }, "privacy": { "usageStatisticsEnabled": false }, "telemetry": { "enabled": false }, "general": { "disableAutoUpdate": true, "disableUpdateNag": true } }'
                $env_ += @{ OPENAI_API_KEY = 'mock-key-not-real'; OPENAI_BASE_URL = "$script:Base/v1"; OPENAI_MODEL = 'qwen3-coder-plus' }
                $model = 'qwen3-coder-plus'
            }
            'opencode' {
                $config = @{ '$schema' = 'https://opencode.ai/config.json'; model = 'mockant/claude-sonnet-4-5'
                    provider = @{ mockant = @{ npm = '@ai-sdk/anthropic'; name = 'Mock Anthropic'; options = @{ baseURL = "$script:Base/v1"; apiKey = 'mock-key-not-real' }
                            models = @{ 'claude-sonnet-4-5' = @{ name = 'Claude Sonnet 4.5' } } } } }
                $env_ += @{ OPENCODE_CONFIG_CONTENT = ($config | ConvertTo-Json -Depth 10 -Compress); OPENCODE_DISABLE_MODELS_FETCH = '1'
                    OPENCODE_DISABLE_AUTOUPDATE = '1'; OPENCODE_DISABLE_SHARE = '1'; OPENCODE_DISABLE_DEFAULT_PLUGINS = '1' }
                $model = 'mockant/claude-sonnet-4-5'
            }
        }
        $script:CliEnv[$Provider] = $env_
        $settings = @{ command = (Join-Path $script:Bin $Cli); env = $env_ }
        if ($model) { $settings.model = $model }
        Set-ClimuxConfig "providers.$Provider" $settings
    }
    foreach ($p in 'claude-code', 'codex', 'gemini-cli', 'opencode', 'qwen-code') { Set-RealProvider $p @{ 'claude-code' = 'claude'; 'codex' = 'codex'; 'gemini-cli' = 'gemini'; 'opencode' = 'opencode'; 'qwen-code' = 'qwen' }[$p] }

    $script:repo = New-TestRepo 'conformance'
    Set-Location $script:repo
    $script:Task = @{}

    function Get-MockRequests { Get-Content $script:Requests | ForEach-Object { $_ | ConvertFrom-Json -Depth 100 } }

    # Keeps each run's raw output, named like the fixtures, for ./build.ps1 conformance -UpdateFixtures.
    function Save-Recording($Session, [string] $Cli, [string] $Name) {
        $folder = Join-Path $script:Out "recordings/$Cli"
        New-Item -ItemType Directory -Path $folder -Force | Out-Null
        Copy-Item $Session.LogPath (Join-Path $folder "conformance-$Name.out")
    }
}

AfterAll {
    Set-Location $script:RepoRoot
    if ($script:Mock -and -not $script:Mock.HasExited) { Stop-Process -Id $script:Mock.Id }
}

Describe '<Provider> (the real CLI)' -ForEach $script:Providers {
    It 'answers --version as pinned' {
        $p = Get-ClimuxProvider $Provider -Refresh
        $p.Installed | Should -BeTrue
        # With ./build.ps1 conformance -Latest, the versions the registry serves now, written by Install-AgentClis.ps1.
        $pinFile = if ($env:CLIMUX_CONFORMANCE_VERSIONS) { $env:CLIMUX_CONFORMANCE_VERSIONS } else { Join-Path $PSScriptRoot 'clis.json' }
        $pins = Get-Content -Raw $pinFile | ConvertFrom-Json -AsHashtable
        $package = @{ 'claude-code' = '@anthropic-ai/claude-code'; 'codex' = '@openai/codex'; 'gemini-cli' = '@google/gemini-cli'; 'opencode' = 'opencode-ai'; 'qwen-code' = '@qwen-code/qwen-code' }[$Provider]
        $p.Version | Should -Be $pins[$package]
    }

    It 'a Task run in a worktree writes the file, with session id, tokens and cost recorded' {
        $worktree = New-ClimuxWorktree "feature-$Provider"
        $s = Start-ClimuxRun 'please [[write-file]]' -Provider $Provider -Worktree "feature-$Provider" -Timeout 120 -Wait
        Save-Recording $s $Cli 'task-write'
        $s.Error | Should -BeNullOrEmpty
        $s.Status | Should -Be 'Completed'
        Get-Content (Join-Path $worktree.Path 'mock_output.txt') | Should -Be 'hello from the mock model'
        $s.FilesChanged | Should -Be 1
        $s.NativeSessionId | Should -Not -BeNullOrEmpty
        ($s.InputTokens + $s.CacheReadTokens + $s.CacheWriteTokens) | Should -BeGreaterThan 0
        $s.OutputTokens | Should -BeGreaterThan 0
        $s.CostUsd | Should -BeGreaterThan 0
        $s.Result | Should -Match 'Done: handled tool result for mock_output.txt'
        (Get-ClimuxSessionLog $s.Id -Kind ToolCall) | Should -Not -BeNullOrEmpty
        $script:Task[$Provider] = $s
    }

    It 'a Plan run cannot write' {
        $worktree = New-ClimuxWorktree "experiment-$Provider-plan"
        $s = Start-ClimuxRun 'plan it [[write-file]]' -Provider $Provider -Worktree "experiment-$Provider-plan" -Mode Plan -Timeout 120 -Wait -ErrorAction SilentlyContinue
        Save-Recording $s $Cli 'plan'
        $s.Status | Should -BeIn 'Completed', 'Failed'
        Test-Path (Join-Path $worktree.Path 'mock_output.txt') | Should -BeFalse
        $s.FilesChanged | Should -Be 0
    }

    It 'Resume-ClimuxSession continues the same conversation (the mock sees the history)' {
        $first = $script:Task[$Provider]
        $first | Should -Not -BeNullOrEmpty
        $next = Resume-ClimuxSession $first.Id -Prompt 'second turn, same conversation' -Timeout 120 -Wait
        Save-Recording $next $Cli 'resume'
        $next.Status | Should -Be 'Completed'
        $next.ParentId | Should -Be $first.Id
        $next.NativeSessionId | Should -Be $first.NativeSessionId
        $next.Directory | Should -Be $first.Directory
        $next.Result | Should -Match 'turn=2: you said "+second turn, same conversation"+'   # OpenCode quotes messages with spaces
        $withHistory = Get-MockRequests | Where-Object { ($_.body | ConvertTo-Json -Depth 100 -Compress) -match 'second turn, same conversation' -and
            ($_.body | ConvertTo-Json -Depth 100 -Compress) -match 'please \[\[write-file\]\]' }
        $withHistory | Should -Not -BeNullOrEmpty
    }

    It 'exports the session with the transcript, and without the API key' {
        $s = $script:Task[$Provider]
        $markdown = Export-ClimuxSession $s.Id -Format Markdown
        $markdown | Should -Match "# Session $($s.Id)"
        $markdown | Should -Match 'tool call'
        $markdown | Should -Match 'Done: handled tool result'
        $json = Export-ClimuxSession $s.Id -Format Json | ConvertFrom-Json
        $json.Session.NativeSessionId | Should -Be $s.NativeSessionId
        $json.Events.Count | Should -BeGreaterThan 2
        (Export-ClimuxSession $s.Id -Format Json) | Should -Not -Match 'mock-key-not-real'
    }
}

Describe 'Rate limits: the mock answers 429 for one API at a time' {
    BeforeAll {
        Add-Content -Path (Join-Path $env:CLIMUX_HOME 'config.yaml') -Value "fallbackOrder: [codex, claude-code, gemini-cli]`nfallback: { afterRetries: 2 }"
        # The CLI's stdout and stderr for the fake agent's [[rate-limit]] replay.
        function Save-RateLimitRecording($Session, [string] $Cli) {
            Save-Recording $Session $Cli 'rate-limit'
            Copy-Item ($Session.LogPath -replace '\.out\.log$', '.err.log') (Join-Path $script:Out "recordings/$Cli/conformance-rate-limit.err")
        }
        function Assert-FellBack($Final, [string] $From, [string] $To) {
            $Final.Provider | Should -Be $To
            $Final.Status | Should -Be 'Completed'
            $first = Get-ClimuxSession $Final.FallbackOf
            $first.Provider | Should -Be $From
            $first.Status | Should -Be 'Failed'
            $first.Error | Should -Match 'Rate limited.*429'
            return $first
        }
    }

    It 'a codex run that hits 429 completes on the next provider' {
        $final = Start-ClimuxRun 'hello [[rate-limit:codex]]' -Provider codex -Timeout 120 -Wait -WarningAction SilentlyContinue
        $first = Assert-FellBack $final 'codex' 'claude-code'
        Save-RateLimitRecording $first 'codex'
        Get-Content $first.LogPath | Should -Contain '{"type":"error","message":"exceeded retry limit, last status: 429 Too Many Requests"}'
    }

    It 'a claude-code run that hits 429 falls back after fallback.afterRetries retries, long before Claude Code gives up' {
        $started = Get-Date
        $final = Start-ClimuxRun 'hello [[rate-limit:claude]]' -Provider claude-code -Timeout 120 -Wait -WarningAction SilentlyContinue
        $first = Assert-FellBack $final 'claude-code' 'gemini-cli'
        Save-RateLimitRecording $first 'claude'
        @(Get-Content $first.LogPath | Where-Object { $_ -match '"subtype":"api_retry"' -and $_ -match '"error_status":429' }).Count | Should -Be 2
        ($first.EndedAt - $first.StartedAt).TotalSeconds | Should -BeLessThan 60
        ((Get-Date) - $started).TotalSeconds | Should -BeLessThan 90
    }

    It 'a gemini-cli run that hits 429 falls back on the stack traces it prints to stderr' {
        $final = Start-ClimuxRun 'hello [[rate-limit:gemini]]' -Provider gemini-cli -Timeout 120 -Wait -WarningAction SilentlyContinue
        $first = Assert-FellBack $final 'gemini-cli' 'codex'
        Save-RateLimitRecording $first 'gemini'
        Get-Content -Raw ($first.LogPath -replace '\.out\.log$', '.err.log') | Should -Match 'status: 429'
    }
}

Describe 'climux mcp with Claude Code as the MCP client' {
    It 'the mock model calls mcp__climux__run_task; the run it starts is stored and completes' {
        $climux = Join-Path $script:RepoRoot 'out/bin/climux'
        Test-Path $climux | Should -BeTrue
        $configFile = Join-Path $env:CLIMUX_HOME 'claude-mcp.json'
        @{ mcpServers = @{ climux = @{ type = 'stdio'; command = $climux; args = @('mcp', '--workspace', $script:repo); env = @{ CLIMUX_HOME = $env:CLIMUX_HOME; NO_COLOR = '1' } } } } |
            ConvertTo-Json -Depth 6 | Set-Content $configFile
        $before = @(Get-ClimuxSession).Count
        # Claude Code's own environment (the mock's address, its throw-away HOME), and its MCP servers
        # connected before the first turn, so the tool is there when the model asks for it.
        $saved = @{}
        $environment = $script:CliEnv['claude-code'] + @{ MCP_CONNECTION_NONBLOCKING = '0'; MCP_TIMEOUT = '60000'; MCP_TOOL_TIMEOUT = '300000' }
        foreach ($name in $environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $environment[$name]) }
        try {
            $output = & (Join-Path $script:Bin 'claude') -p 'start the task with climux [[mcp-run-task]]' --mcp-config $configFile --strict-mcp-config `
                --allowedTools 'mcp__climux__run_task' --output-format stream-json --verbose 2>&1
        }
        finally {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
        $output | Set-Content (Join-Path $script:Out 'claude-mcp.out')
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        $events = $output | Where-Object { $_ -like '{*' } | ForEach-Object { $_ | ConvertFrom-Json -Depth 100 }
        $init = $events | Where-Object { $_.type -eq 'system' -and $_.subtype -eq 'init' } | Select-Object -First 1
        ($init.mcp_servers | Where-Object name -EQ 'climux').status | Should -Be 'connected'
        $init.tools | Should -Contain 'mcp__climux__run_task'
        $toolResult = $events | Where-Object { $_.type -eq 'user' } | ForEach-Object { $_.message.content } | Where-Object { $_.type -eq 'tool_result' } | Select-Object -First 1
        $toolResult | Should -Not -BeNullOrEmpty
        $toolResult.is_error | Should -Not -BeTrue
        ($events | Where-Object type -EQ 'result').result | Should -Match 'Done: climux ran the task'

        $runs = @(Get-ClimuxSession | Where-Object Prompt -EQ 'started through climux mcp')
        $runs.Count | Should -Be 1
        $runs[0].Status | Should -Be 'Completed'
        $runs[0].Provider | Should -Be 'claude-code'
        $runs[0].Result | Should -Match 'MOCK_REPLY turn=1: you said "started through climux mcp"'
        @(Get-ClimuxSession).Count | Should -Be ($before + 1)
    }
}

Describe 'Merge-ClimuxWorktree -ResolveWith claude-code (the real CLI resolves a conflict)' {
    It 'the agent rewrites the conflicted file; Climux stages it, checks it and commits a merge with both parents' {
        Set-Content shared.txt ((1..10 | ForEach-Object { "line $_" }) -join "`n")
        git add -A; git commit -q -m 'shared file'
        $sides = foreach ($name in 'conflict-a', 'conflict-b') {
            $worktree = New-ClimuxWorktree $name
            $lines = Get-Content (Join-Path $worktree.Path 'shared.txt')
            $lines[1] = "from $name"
            Set-Content (Join-Path $worktree.Path 'shared.txt') $lines
            git -C $worktree.Path commit -q -am "$name edits line 2"
            git -C $worktree.Path rev-parse HEAD
        }
        $target = New-ClimuxWorktree conflict-integration
        (Merge-ClimuxWorktree conflict-a -Into conflict-integration).Status | Should -Be 'FastForward'

        $result = Merge-ClimuxWorktree conflict-b -Into conflict-integration -ResolveWith claude-code
        $session = Get-ClimuxSession -Id $result.ResolutionSessionId
        Save-Recording $session 'claude' 'resolve-conflict'
        $session.Error | Should -BeNullOrEmpty
        "$($session.Provider) $($session.Status) $($session.Mode)" | Should -Be 'claude-code Completed Task'
        $result.Status | Should -Be 'Resolved'
        $result.Conflicts | Should -Be @('shared.txt')
        $session.Result | Should -Match 'resolved the conflict in shared.txt'

        $lines = Get-Content (Join-Path $target.Path 'shared.txt')
        $lines[1..2] | Should -Be @('from conflict-a', 'from conflict-b')
        ($lines -join "`n") | Should -Not -Match '<<<<<<<|=======|>>>>>>>'
        @(git -C $target.Path log -1 --format=%P).Split(' ') | Should -Be $sides
        git -C $target.Path status --porcelain | Should -BeNullOrEmpty
        git -C $target.Path ls-files --unmerged | Should -BeNullOrEmpty
        # The model was shown the conflicted file and the sides' purposes in Climux's prompt.
        Get-MockRequests | Where-Object { ($_.body | ConvertTo-Json -Depth 100 -Compress) -match 'Conflicted files:' } | Should -Not -BeNullOrEmpty
    }
}

Describe 'The parsers know every line the CLIs printed (drift)' {
    It 'no session holds output its parser does not know' {
        $unknown = foreach ($s in Get-ClimuxSession) {
            Get-ClimuxSessionLog $s.Id -Kind Warning | Where-Object Data -EQ '{"unknownOutput":true}' |
                ForEach-Object { "$($s.Provider) (session $($s.Id)): $($_.Text)" }
        }
        $unknown | Should -BeNullOrEmpty -Because 'a newer CLI prints output Climux does not know; the offending line is shown'
    }
}

Describe 'Nothing leaves the machine' {
    It 'every request the CLIs made went to the loopback mock' {
        $requests = Get-MockRequests
        $requests.Count | Should -BeGreaterThan 8
        @($requests | Where-Object path -Match '^/v1/messages').Count | Should -BeGreaterThan 0
        @($requests | Where-Object path -Match '^/v1/responses').Count | Should -BeGreaterThan 0
        @($requests | Where-Object path -Match '^/v1/chat/completions').Count | Should -BeGreaterThan 0
        @($requests | Where-Object path -Match '^/v1beta/models/').Count | Should -BeGreaterThan 0
    }
}
