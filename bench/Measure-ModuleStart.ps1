<#
.SYNOPSIS
    Times what a user waits for at the start: Import-Module Climux plus the first command, in cold pwsh
    processes, against pwsh's own start; then where that time goes, measured inside the process.
.DESCRIPTION
    Every round starts one fresh process per variant (interleaved, so load on the machine falls on all
    alike); medians over the rounds are reported. The Climux home is made first, so the runs open an
    existing store as a user's first command does. Writes a JSON array in the shape of
    bench/Climux.Bench/BenchResult.cs. Reports; never asserts.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    # The command line that starts pwsh (it may be 'dotnet pwsh.dll').
    [Parameter(Mandatory)] [string[]] $Pwsh,
    [Parameter(Mandatory)] [string] $ResultPath,
    [int] $Runs = 9,
    # The climux command, when built: `climux status` is timed beside the module.
    [string] $CliPath
)
$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path $ModulePath).Path
$home_ = Join-Path ([IO.Path]::GetTempPath()) "climux-bench-start-$PID"

# Runs a program to its end with output discarded; returns its wall-clock time in milliseconds.
function Measure-Run([string[]] $CommandLine) {
    $start = [Diagnostics.ProcessStartInfo]::new($CommandLine[0])
    foreach ($argument in ($CommandLine | Select-Object -Skip 1)) { $start.ArgumentList.Add($argument) }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.Environment['CLIMUX_HOME'] = $home_
    $start.Environment['NO_COLOR'] = '1'
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $process = [Diagnostics.Process]::Start($start)
    $errors = $process.StandardError.ReadToEndAsync()
    $null = $process.StandardOutput.ReadToEnd()
    $process.WaitForExit()
    $elapsed = $watch.Elapsed.TotalMilliseconds
    if ($process.ExitCode -ne 0) { throw "'$($CommandLine -join ' ')' exited with $($process.ExitCode): $($errors.Result)" }
    return $elapsed
}

# Runs a pwsh script and returns the JSON object it prints last.
function Invoke-Probe([string] $Script) {
    $output = & $Pwsh[0] @(@($Pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $Script))
    if ($LASTEXITCODE -ne 0) { throw "probe failed: $output" }
    return @($output)[-1] | ConvertFrom-Json
}

function Get-Median([double[]] $Values) { $sorted = $Values | Sort-Object; return [math]::Round($sorted[[int][math]::Floor($sorted.Count / 2)], 1) }

function New-Result([string] $Name, [string] $ComparedTo, [double[]] $Times, [Nullable[double]] $Baseline, [string] $Goal, [string] $Detail) {
    $median = Get-Median $Times
    [pscustomobject][ordered]@{
        name = $Name; comparedTo = $ComparedTo; medianMs = $median; minMs = [math]::Round(($Times | Measure-Object -Minimum).Minimum, 1)
        runs = $Times.Count; baselineMedianMs = $Baseline; goal = $Goal; detail = $Detail
        ratio = if ($Baseline) { [math]::Round($median / $Baseline, 2) } else { $null }
    }
}

$pwshArgs = @($Pwsh) + @('-NoProfile', '-NonInteractive', '-Command')
$variants = [ordered]@{
    pwsh   = $pwshArgs + 'exit'
    module = $pwshArgs + "Import-Module '$ModulePath'; Get-ClimuxStatus"
}
if ($CliPath) { $variants['cli'] = @($CliPath, 'status') }

try {
    # The user's first command finds an existing store.
    $null = Measure-Run $variants['module']
    $times = @{}
    foreach ($key in $variants.Keys) { $times[$key] = [Collections.Generic.List[double]]::new() }
    for ($round = 0; $round -lt $Runs; $round++) {
        $keys = @($variants.Keys)
        # Rotate the order, so no variant always runs right after another.
        for ($i = 0; $i -lt $keys.Count; $i++) {
            $key = $keys[($i + $round) % $keys.Count]
            $times[$key].Add((Measure-Run $variants[$key]))
        }
    }
    $baseline = Get-Median $times['pwsh']
    $results = [Collections.Generic.List[object]]::new()
    $results.Add((New-Result 'pwsh -NoProfile -c exit' 'none' $times['pwsh'] $null $null 'a cold pwsh process that does nothing'))
    $module = New-Result 'Import-Module Climux; Get-ClimuxStatus' 'pwsh -NoProfile -c exit' $times['module'] $baseline 'at most 100 ms more' 'a cold pwsh process; the status is formatted to stdout'
    $module.detail += "; $([math]::Round($module.medianMs - $baseline, 1)) ms more than pwsh alone"
    $results.Add($module)
    if ($CliPath) {
        $results.Add((New-Result 'climux status' 'Import-Module Climux; Get-ClimuxStatus' $times['cli'] $module.medianMs 'ratio at most 0.2 (issue 11)' 'a cold process of the climux command (framework-dependent, ReadyToRun), against a cold pwsh that imports the module and runs Get-ClimuxStatus'))
    }

    # Where the time goes, inside the process: the import, the first command, formatting its output.
    $probe = @'
$null = [AppDomain]::CurrentDomain.GetAssemblies().GetName().Name # what the probe itself runs, compiled before it counts
$j0 = [System.Runtime.JitInfo]::GetCompiledMethodCount($false); $watch = [Diagnostics.Stopwatch]::StartNew()
Import-Module '{0}'
$import = $watch.Elapsed.TotalMilliseconds; $atImport = [AppDomain]::CurrentDomain.GetAssemblies().GetName().Name
$j1 = [System.Runtime.JitInfo]::GetCompiledMethodCount($false); $watch.Restart()
$status = Get-ClimuxStatus
$command = $watch.Elapsed.TotalMilliseconds; $j2 = [System.Runtime.JitInfo]::GetCompiledMethodCount($false); $watch.Restart()
$null = $status | Out-String
$format = $watch.Elapsed.TotalMilliseconds; $j3 = [System.Runtime.JitInfo]::GetCompiledMethodCount($false); $watch.Restart()
$null = Get-ClimuxStatus
$second = $watch.Elapsed.TotalMilliseconds
$climux = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object {{ [Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name -eq 'Climux' }}
@{{ import = $import; command = $command; format = $format; second = $second; jitImport = $j1 - $j0; jitCommand = $j2 - $j1; jitFormat = $j3 - $j2
    atImport = @($climux.GetName().Name | Where-Object {{ $_ -in $atImport }}); atCommand = @($climux.GetName().Name | Where-Object {{ $_ -notin $atImport }}) }} | ConvertTo-Json -Compress
'@ -f $ModulePath
    $reference = @'
$null = [AppDomain]::CurrentDomain.GetAssemblies().GetName().Name
$j0 = [System.Runtime.JitInfo]::GetCompiledMethodCount($false); $watch = [Diagnostics.Stopwatch]::StartNew(); Import-Module Microsoft.PowerShell.ThreadJob
$import = $watch.Elapsed.TotalMilliseconds; $null = [AppDomain]::CurrentDomain.GetAssemblies().GetName().Name
@{ import = $import; jit = [System.Runtime.JitInfo]::GetCompiledMethodCount($false) - $j0 } | ConvertTo-Json -Compress
'@
    # Methods compiled by the JIT: the part of the time that load on the machine does not change.
    $probes = [Collections.Generic.List[object]]::new(); $references = [Collections.Generic.List[object]]::new()
    for ($round = 0; $round -lt $Runs; $round++) {
        $probes.Add((Invoke-Probe $probe)); $references.Add((Invoke-Probe $reference))
    }
    $last = $probes[-1]
    $results.Add((New-Result 'in process: Import-Module Climux' 'Import-Module Microsoft.PowerShell.ThreadJob' $probes.import (Get-Median $references.import) $null `
        ("loads $((@($last.atImport) + 'Climux.PowerShell', 'Climux.PowerShell.Hosting' | Where-Object { $_ }) -join ', '); JIT-compiles $(Get-Median $probes.jitImport) methods " +
         "against $(Get-Median $references.jit) for the reference, an in-box binary module: what any first binary import costs")))
    $results.Add((New-Result 'in process: first Get-ClimuxStatus' 'none' $probes.command $null $null "loads $(@($last.atCommand) -join ', '); JIT-compiles $(Get-Median $probes.jitCommand) methods"))
    $results.Add((New-Result 'in process: formatting its output the first time' 'none' $probes.format $null $null "PowerShell's own formatting (it JIT-compiles $(Get-Median $probes.jitFormat) methods) with Climux.format.ps1xml"))
    $results.Add((New-Result 'in process: second Get-ClimuxStatus' 'none' $probes.second $null $null 'everything loaded and compiled'))
}
finally {
    Remove-Item -Recurse -Force $home_ -ErrorAction SilentlyContinue
}

foreach ($result in $results) {
    '{0,-52} median {1,8:0.0} ms   min {2,8:0.0} ms{3}' -f $result.name, $result.medianMs, $result.minMs,
        $(if ($null -ne $result.baselineMedianMs) { "   $($result.comparedTo): median $($result.baselineMedianMs) ms" }) | Write-Host
}
ConvertTo-Json -InputObject @($results) -Depth 3 | Set-Content -Path $ResultPath
