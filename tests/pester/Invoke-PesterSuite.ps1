<#
.SYNOPSIS
    Runs every *.Tests.ps1 here against a built module and writes the counts as JSON (called by build.ps1 test).
#>
param(
    [Parameter(Mandatory)] [string] $PesterModule,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ResultPath,
    [string] $FakesPath,
    [string[]] $Path = @($PSScriptRoot)
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterModule -Force
$env:CLIMUX_TEST_MODULE = (Resolve-Path $ModulePath).Path
# The NuGet packages folder Pester came from (<packages>/pester/<version>/tools/Pester.psd1), where the
# other test tools of tests/tools/Tools.csproj are too.
$env:CLIMUX_TEST_NUGET_PACKAGES = Split-Path (Split-Path (Split-Path (Split-Path (Resolve-Path $PesterModule).Path)))
if ($FakesPath) { $env:CLIMUX_TEST_FAKES = (Resolve-Path $FakesPath).Path }

$env:CLIMUX_TEST_TEMP = Join-Path ([IO.Path]::GetTempPath()) "climux-pester-run-$PID"
New-Item -ItemType Directory -Path $env:CLIMUX_TEST_TEMP -Force | Out-Null

$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.PassThru = $true
$config.Output.RenderMode = 'Plaintext'
$config.Output.Verbosity = 'Detailed'
$result = Invoke-Pester -Configuration $config
Set-Location $PSScriptRoot
Get-Job | Remove-Job -Force -ErrorAction SilentlyContinue
Remove-Item -Recurse -Force $env:CLIMUX_TEST_TEMP -ErrorAction SilentlyContinue

[pscustomobject]@{
    Passed = $result.PassedCount
    # A failing BeforeAll or a file that does not parse fails no single test: count those too.
    Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Skipped = $result.SkippedCount
} | ConvertTo-Json | Set-Content -Path $ResultPath
