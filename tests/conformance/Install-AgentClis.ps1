<#
.SYNOPSIS
    Installs the pinned agent CLIs (clis.json) with npm into a cache folder outside the repository,
    once; returns the folder that holds their executables. With -Latest, the newest version of each
    that the registry serves, into a folder of its own, with the versions chosen written to
    versions.json beside it (the drift run).
#>
param(
    [string] $Cache = $(if ($env:CLIMUX_CONFORMANCE_CACHE) { $env:CLIMUX_CONFORMANCE_CACHE } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.cache/climux-conformance' }),
    [switch] $Latest
)

$ErrorActionPreference = 'Stop'
$pins = Get-Content -Raw (Join-Path $PSScriptRoot 'clis.json') | ConvertFrom-Json -AsHashtable
$folder = Join-Path $Cache $(if ($Latest) { 'cli-latest' } else { 'cli' })
New-Item -ItemType Directory -Path $folder -Force | Out-Null
if ($Latest) {
    if (-not (Get-Command npm -ErrorAction SilentlyContinue)) { throw 'npm is not installed: the conformance tests need Node.js and npm to install the agent CLIs.' }
    foreach ($package in @($pins.Keys)) {
        $newest = (& npm view $package version --loglevel=error | Select-Object -Last 1)
        if ($LASTEXITCODE -ne 0 -or -not $newest) { throw "npm view $package version failed." }
        $pins[$package] = $newest.Trim()
    }
    $pins | ConvertTo-Json | Set-Content (Join-Path $folder 'versions.json')
    Write-Host "Newest versions: $(($pins.Keys | ForEach-Object { "$_ $($pins[$_])" }) -join ', ')"
}

$missing = @($pins.Keys | Where-Object {
        $manifest = Join-Path $folder "node_modules/$_/package.json"
        -not (Test-Path $manifest) -or (Get-Content -Raw $manifest | ConvertFrom-Json).version -ne $pins[$_]
    })
if ($missing.Count -gt 0) {
    if (-not (Get-Command npm -ErrorAction SilentlyContinue)) { throw 'npm is not installed: the conformance tests need Node.js and npm to install the agent CLIs.' }
    Set-Content -Path (Join-Path $folder 'package.json') -Value '{ "name": "climux-conformance-clis", "private": true, "version": "1.0.0" }'
    Write-Host "Installing $($missing -join ', ') into $folder"
    $specs = $pins.Keys | ForEach-Object { "$_@$($pins[$_])" }
    & npm install --prefix $folder --no-audit --no-fund --loglevel=error @specs | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "npm install failed with exit code $LASTEXITCODE." }
}
Join-Path $folder 'node_modules/.bin'
