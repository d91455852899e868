# Dot-sourced by every test file: imports the built module once and gives each test its own CLIMUX_HOME.
$ErrorActionPreference = 'Stop'
$script:ModulePath = if ($env:CLIMUX_TEST_MODULE) { $env:CLIMUX_TEST_MODULE } else { Join-Path $PSScriptRoot '../../out/Climux' }
if (-not (Get-Module Climux)) { Import-Module $script:ModulePath -ErrorAction Stop }
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function New-TestHome {
    $path = Join-Path ([IO.Path]::GetTempPath()) "climux-pester-$([Guid]::NewGuid().ToString('N').Substring(0, 12))"
    $env:CLIMUX_HOME = $path
    return $path
}

function New-TestRepo {
    param([string] $Name = 'repo')
    $path = Join-Path ([IO.Path]::GetTempPath()) "climux-repo-$([Guid]::NewGuid().ToString('N').Substring(0, 12))/$Name"
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
