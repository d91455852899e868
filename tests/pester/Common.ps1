# Dot-sourced by every test file: imports the built module once and gives each test its own CLIMUX_HOME.
$ErrorActionPreference = 'Stop'
$script:ModulePath = if ($env:CLIMUX_TEST_MODULE) { $env:CLIMUX_TEST_MODULE } else { Join-Path $PSScriptRoot '../../out/Climux' }
if (-not (Get-Module Climux)) { Import-Module $script:ModulePath -ErrorAction Stop }
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:FakeAgent = if ($env:CLIMUX_TEST_FAKES) { Join-Path $env:CLIMUX_TEST_FAKES 'fake-agent' } else { Join-Path $script:RepoRoot 'out/fakes/fake-agent' }

# Points every built-in provider (and two command providers, 'fake-text' and 'fake-jsonl') at
# the fake agent, which replays the real CLIs' recorded output. Its state and invocation log go
# under the test's CLIMUX_HOME.
function Set-FakeProviders {
    $state = Join-Path $env:CLIMUX_HOME 'fake-state'
    $log = Join-Path $env:CLIMUX_HOME 'fake-log'
    New-Item -ItemType Directory -Path $state, $log -Force | Out-Null
    $providers = [ordered]@{ 'claude-code' = 'claude'; 'codex' = 'codex'; 'gemini-cli' = 'gemini'; 'opencode' = 'opencode' }
    foreach ($name in $providers.Keys) {
        Set-ClimuxConfig "providers.$name" @{ command = $script:FakeAgent; env = @{ FAKE_AGENT_CLI = $providers[$name]; FAKE_AGENT_STATE = $state; FAKE_AGENT_LOG = $log } }
    }
    Set-ClimuxConfig providers.fake-text @{ command = $script:FakeAgent; args = @('--prompt-arg', '{prompt}'); output = 'text'; env = @{ FAKE_AGENT_CLI = 'text'; FAKE_AGENT_STATE = $state; FAKE_AGENT_LOG = $log } }
    Set-ClimuxConfig providers.fake-jsonl @{ command = $script:FakeAgent; output = 'jsonl'; resumeArgs = @('--resume-id', '{sessionId}'); env = @{ FAKE_AGENT_CLI = 'jsonl'; FAKE_AGENT_STATE = $state; FAKE_AGENT_LOG = $log } }
}

# The fake agent's invocation log: one object per start/end/child line.
function Get-FakeInvocations {
    $file = Join-Path $env:CLIMUX_HOME 'fake-log/invocations.jsonl'
    if (Test-Path $file) { Get-Content $file | ForEach-Object { $_ | ConvertFrom-Json } }
}

# A test home with the fake providers and a fresh repository as the current location ($script:repo).
function New-RunFixture {
    New-TestHome | Out-Null
    Set-FakeProviders
    $script:repo = New-TestRepo
    Set-Location $script:repo
}

function Wait-Until([scriptblock] $Condition, [int] $Seconds = 60) {
    $deadline = (Get-Date).AddSeconds($Seconds)
    while (-not (& $Condition)) {
        if ((Get-Date) -gt $deadline) { throw "timed out waiting for: $Condition" }
        Start-Sleep -Milliseconds 100
    }
}

function Test-ProcessAlive([int] $ProcessId) {
    # The process may end between any two reads: a file that is gone means it is gone.
    $raw = Get-Content -Raw "/proc/$ProcessId/stat" -ErrorAction SilentlyContinue
    if (-not $raw) { return $false }
    $state = $raw.Substring($raw.LastIndexOf(')') + 2, 1)
    return $state -notin 'Z', 'X'
}

# Everything a test makes goes under one folder per suite run, which Invoke-PesterSuite deletes.
$script:TestRoot = if ($env:CLIMUX_TEST_TEMP) { $env:CLIMUX_TEST_TEMP } else { [IO.Path]::GetTempPath() }

function New-TestHome {
    $path = Join-Path $script:TestRoot "climux-pester-$([Guid]::NewGuid().ToString('N').Substring(0, 12))"
    $env:CLIMUX_HOME = $path
    return $path
}

function New-TestRepo {
    param([string] $Name = 'repo')
    $path = Join-Path $script:TestRoot "climux-repo-$([Guid]::NewGuid().ToString('N').Substring(0, 12))/$Name"
    New-Item -ItemType Directory -Path $path -Force | Out-Null
    git -C $path init -q -b main 2>&1 | Out-Null
    git -C $path config user.email 'test@example.invalid'
    git -C $path config user.name 'Climux Test'
    git -C $path config commit.gpgsign false
    Set-Content -Path (Join-Path $path 'README.md') -Value 'test repo'
    git -C $path add -A
    git -C $path commit -q -m 'initial' 2>&1 | Out-Null
    return $path
}

# A fresh pwsh, as an argument array (pwsh may run as 'dotnet pwsh.dll').
function Get-PwshCommand {
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { return @($process, (Join-Path $PSHOME 'pwsh.dll')) }
    return @($process)
}

# Runs a script block's text in a fresh pwsh with the module imported; returns its output lines.
function Invoke-FreshPwsh {
    param([Parameter(Mandatory)] [string] $Script, [hashtable] $Environment = @{})
    $pwsh = @(Get-PwshCommand)
    $prelude = "`$ErrorActionPreference = 'Stop'; Import-Module '$script:ModulePath'; "
    $saved = @{}
    foreach ($key in $Environment.Keys) { $saved[$key] = [Environment]::GetEnvironmentVariable($key); [Environment]::SetEnvironmentVariable($key, $Environment[$key]) }
    try {
        $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $prelude + $Script)
        & $pwsh[0] @arguments 2>&1
    }
    finally {
        foreach ($key in $saved.Keys) { [Environment]::SetEnvironmentVariable($key, $saved[$key]) }
    }
}

function Get-UnixMode([string] $Path) {
    '{0}' -f ([Convert]::ToString([int](Get-Item -Force $Path).UnixFileMode, 8))
}
