#requires -Version 7.6
<#
.SYNOPSIS
    Builds, tests and installs the Climux module.
.DESCRIPTION
    build        publishes an importable module to out/Climux (the default task) and the climux
                 command to out/bin/climux
    test         build, then the xunit suites (Core, CLI), the Pester suite (in a fresh pwsh, against out/Climux)
                 and the README's climux blocks (bash, tests/cli);
                 prints one line "N passed, N failed" and exits non-zero on any failure
    install      build, then copy the module into your user module path and link the climux command
                 into ~/.local/bin (a copy under ~/.local/share/climux/<version>)
    pack         build, then write out/packages/Climux.<version>.nupkg (the module, for
                 Install-PSResource) and, once src/Climux.Cli exists, out/packages/tool/climux.<version>.nupkg
                 (the climux command, for dotnet tool install); installs each into a scratch folder
                 and uses it before it reports success
    demo         the feature-decomposition walkthrough
    bench        benchmarks under bench/: stats over 1,000,000 sessions (the store stays in
                 out/bench/stats-home and is reused), worktrees against git, and Import-Module plus the
                 first command in cold pwsh processes against pwsh alone; figures in out/bench/results.json
    conformance  the real agent CLIs (installed with npm into a cache outside the repository)
                 against a loopback mock model API, inside a network namespace when possible;
                 -UpdateFixtures refreshes tests/fakes/recordings from their output
    clean        removes out/ and every bin/ and obj/
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 test
.EXAMPLE
    dotnet pwsh ./build.ps1 pack
    Register-PSResourceRepository -Name ClimuxLocal -Uri ./out/packages -Trusted
    Install-PSResource Climux -Repository ClimuxLocal
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('build', 'test', 'install', 'pack', 'demo', 'bench', 'conformance', 'clean')]
    [string] $Task = 'build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # conformance: copy the real CLIs' recorded output into tests/fakes/recordings afterwards.
    [switch] $UpdateFixtures
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'Climux'
$ResultsDir = Join-Path $Out 'test-results'
if ($env:CI) {
    $env:NO_COLOR = '1'
    $PSStyle.OutputRendering = 'PlainText'
}
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

# Runs a program and stops the build when it fails. A plain function, so '-c' and '-o' reach the program.
function Invoke-Native {
    $program, $arguments = $args
    & $program @arguments
    if ($LASTEXITCODE -ne 0) { throw "'$program $($arguments -join ' ')' exited with code $LASTEXITCODE." }
}

function Get-Version {
    ([xml](Get-Content -Raw (Join-Path $Root 'Directory.Build.props'))).SelectSingleNode('/Project/PropertyGroup/Version').InnerText
}

# The pwsh running this script, as a command line that starts a fresh one (it may be 'dotnet pwsh.dll').
function Get-PwshCommand {
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { return @($process, (Join-Path $PSHOME 'pwsh.dll')) }
    return @($process)
}

# The platforms PowerShell 7.6 runs on: their native SQLite and libgit2 go into the module.
$NativeRuntimes = 'linux-x64', 'linux-arm64', 'linux-arm', 'linux-musl-x64', 'linux-musl-arm64', 'osx-x64', 'osx-arm64', 'win-x64', 'win-x86', 'win-arm64'

function Invoke-Build {
    $rid = [System.Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
    $project = Join-Path $Root 'src/Climux.PowerShell/Climux.PowerShell.csproj'
    $staging = Join-Path $Out 'publish'
    $portable = Join-Path $Out 'publish-portable'
    Write-Host "Building Climux $(Get-Version) ($Configuration, precompiled for $rid)"
    Remove-Item $staging, $portable -Recurse -Force -ErrorAction SilentlyContinue
    # The assemblies precompiled (ReadyToRun) for this platform: a first command compiles far less. They
    # still run anywhere .NET runs, compiled as they go. One restore serves both publishes.
    $publish = @('-c', $Configuration, '--nologo', '-v', 'quiet', "-p:RuntimeIdentifiers=$rid")
    Invoke-Native dotnet publish $project @publish -r $rid --self-contained false '-p:PublishReadyToRun=true' -o $staging
    # A portable publish, for every platform's native libraries (runtimes/<rid>/native).
    Invoke-Native dotnet publish $project @publish -o $portable

    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    # The cmdlet assembly and the loader at the top, where PowerShell loads them; Climux.Core and every
    # library it uses in dependencies/, which PowerShell does not probe: the module's own load context
    # serves them from there (src/Climux.PowerShell.Hosting). A new package reference needs no change here.
    $dependencies = Join-Path $ModuleOut 'dependencies'
    New-Item -ItemType Directory -Path $dependencies | Out-Null
    Get-ChildItem $staging -File | Where-Object { $_.Extension -in '.dll', '.pdb' } | ForEach-Object {
        $target = if ($_.BaseName -like 'Climux.PowerShell*') { $ModuleOut } else { $dependencies }
        Copy-Item $_.FullName -Destination $target
    }
    foreach ($nativeRid in @($NativeRuntimes) + $rid | Select-Object -Unique) {
        $native = Join-Path $portable "runtimes/$nativeRid/native"
        if (-not (Test-Path $native)) { continue }
        $target = Join-Path $dependencies "runtimes/$nativeRid/native"
        New-Item -ItemType Directory -Path $target -Force | Out-Null
        Copy-Item (Join-Path $native '*') $target
    }
    $manifest = Get-Content -Raw (Join-Path $Root 'module/Climux.psd1')
    $manifest = $manifest -replace "ModuleVersion(\s*)= '0\.0\.0'", "ModuleVersion`$1= '$(Get-Version)'"
    Set-Content -Path (Join-Path $ModuleOut 'Climux.psd1') -Value $manifest -NoNewline
    Copy-Item (Join-Path $Root 'module/Climux.format.ps1xml'), (Join-Path $Root 'LICENSE') $ModuleOut
    Copy-Item (Join-Path $Root 'module/en-US') (Join-Path $ModuleOut 'en-US') -Recurse
    # Cmdlet help from the doc comments, read in a fresh pwsh that imports the module just built.
    $pwsh = @(Get-PwshCommand)
    $helpArgs = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'tools/New-MamlHelp.ps1'),
        '-ModulePath', $ModuleOut, '-DocumentationFile', (Join-Path $staging 'Climux.PowerShell.xml'),
        '-OutFile', (Join-Path $ModuleOut 'en-US/Climux.PowerShell.dll-Help.xml'))
    Invoke-Native $pwsh[0] @helpArgs
    Write-Host "Module: $ModuleOut"
    Invoke-CliBuild $publish $rid
}

# The climux command: framework-dependent, precompiled (ReadyToRun) for this platform so that a cold
# `climux status` starts in tens of milliseconds; out/bin/climux.
function Invoke-CliBuild([string[]] $Publish, [string] $Rid) {
    $bin = Join-Path $Out 'bin'
    Remove-Item $bin -Recurse -Force -ErrorAction SilentlyContinue
    Invoke-Native dotnet publish (Join-Path $Root 'src/Climux.Cli/Climux.Cli.csproj') @Publish -r $Rid --self-contained false '-p:PublishReadyToRun=true' -o $bin
    Write-Host "Command: $(Join-Path $bin 'climux')"
}

function Get-NuGetPackagesFolder {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    $line = dotnet nuget locals global-packages --list | Select-Object -First 1
    return ($line -replace '^global-packages:\s*', '').Trim()
}

# Fetches the test tools of tests/tools/Tools.csproj (Pester, and libraries the tests load) into the
# NuGet packages folder when one is missing; returns Pester's manifest.
function Get-PesterModule {
    $project = Join-Path $Root 'tests/tools/Tools.csproj'
    $packages = Get-NuGetPackagesFolder
    $downloads = ([xml](Get-Content -Raw $project)).Project.ItemGroup.PackageDownload | Where-Object { $_ } |
        ForEach-Object { [pscustomobject]@{ Id = $_.Include; Version = $_.Version.Trim('[', ']') } }
    $missing = @($downloads | Where-Object { -not (Test-Path (Join-Path $packages "$($_.Id.ToLowerInvariant())/$($_.Version)")) })
    if ($missing) {
        Write-Host "Fetching $(($missing | ForEach-Object { "$($_.Id) $($_.Version)" }) -join ', ') from NuGet"
        Invoke-Native dotnet restore $project --nologo -v quiet
    }
    $pester = $downloads | Where-Object Id -EQ 'Pester'
    $psd1 = Join-Path $packages "pester/$($pester.Version)/tools/Pester.psd1"
    if (-not (Test-Path $psd1)) { throw "Pester $($pester.Version) did not arrive at $psd1." }
    return $psd1
}

function Read-TrxCounts([string] $Path) {
    if (-not (Test-Path $Path)) { return $null }
    $counters = ([xml](Get-Content -Raw $Path)).TestRun.ResultSummary.Counters
    return [pscustomobject]@{ Passed = [int]$counters.passed; Failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted }
}

function Invoke-Test {
    Invoke-Build
    if (Test-Path $ResultsDir) { Remove-Item $ResultsDir -Recurse -Force }
    New-Item -ItemType Directory -Path $ResultsDir | Out-Null
    # Guard: nothing a test runs may reach the real ~/.climux, whatever a test forgets to set.
    $env:CLIMUX_HOME = Join-Path ([IO.Path]::GetTempPath()) "climux-test-home-$PID"
    $suites = [ordered]@{}

    Write-Host "`n== xunit: tests/Climux.Core.Tests"
    & dotnet test (Join-Path $Root 'tests/Climux.Core.Tests/Climux.Core.Tests.csproj') -c $Configuration --nologo `
        --logger 'trx;LogFileName=core.trx' --results-directory $ResultsDir
    $suites['xunit'] = Read-TrxCounts (Join-Path $ResultsDir 'core.trx')

    Write-Host "`n== xunit: tests/Climux.Cli.Tests"
    & dotnet test (Join-Path $Root 'tests/Climux.Cli.Tests/Climux.Cli.Tests.csproj') -c $Configuration --nologo `
        --logger 'trx;LogFileName=cli.trx' --results-directory $ResultsDir
    $suites['xunit-cli'] = Read-TrxCounts (Join-Path $ResultsDir 'cli.trx')

    Write-Host "`n== Pester: tests/pester (fresh pwsh, module from $ModuleOut)"
    $fakes = Join-Path $Out 'fakes'
    Invoke-Native dotnet build (Join-Path $Root 'tests/fakes/FakeAgent/FakeAgent.csproj') -c $Configuration -o $fakes --nologo -v quiet
    $pester = Get-PesterModule
    $pesterResult = Join-Path $ResultsDir 'pester.json'
    $pwsh = @(Get-PwshCommand)
    $pwshArgs = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'tests/pester/Invoke-PesterSuite.ps1'),
        '-PesterModule', $pester, '-ModulePath', $ModuleOut, '-ResultPath', $pesterResult, '-FakesPath', $fakes)
    & $pwsh[0] @pwshArgs
    $suites['pester'] = if (Test-Path $pesterResult) { Get-Content -Raw $pesterResult | ConvertFrom-Json } else { $null }

    Write-Host "`n== bash: tests/cli/DocumentedBlocks.Tests.sh (the README's climux blocks, against the fake agents)"
    $blocksResult = Join-Path $ResultsDir 'cli-blocks.json'
    & bash (Join-Path $Root 'tests/cli/DocumentedBlocks.Tests.sh') (Join-Path $Out 'bin') (Join-Path $fakes 'fake-agent') $blocksResult
    $suites['cli-blocks'] = if (Test-Path $blocksResult) { Get-Content -Raw $blocksResult | ConvertFrom-Json } else { $null }

    Remove-Item $env:CLIMUX_HOME -Recurse -Force -ErrorAction SilentlyContinue
    $passed = 0; $failed = 0
    foreach ($name in $suites.Keys) {
        $counts = $suites[$name]
        if ($null -eq $counts) { Write-Host "$($name): did not report results (counted as 1 failure)"; $failed++; continue }
        Write-Host "$($name): $($counts.Passed) passed, $($counts.Failed) failed"
        $passed += $counts.Passed; $failed += $counts.Failed
    }
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

# A command prefix that runs a program in a network namespace with only loopback, when this
# machine allows one (root, or unprivileged user namespaces); empty otherwise.
function Get-NetworkIsolation {
    $unshare = Get-Command unshare -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    $ip = @((Get-Command ip -CommandType Application -ErrorAction SilentlyContinue).Source) + @('/usr/sbin/ip', '/sbin/ip') | Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
    if (-not $unshare -or -not $ip) { return @() }
    foreach ($flags in '-n', '-rn') {
        & $unshare.Source $flags $ip link set lo up 2>$null
        if ($LASTEXITCODE -eq 0) { return @($unshare.Source, $flags, 'sh', '-c', "'$ip' link set lo up && exec `"`$@`"", 'sh') }
    }
    return @()
}

function Invoke-Conformance {
    Invoke-Build
    $bin = & (Join-Path $Root 'tests/conformance/Install-AgentClis.ps1') | Select-Object -Last 1
    $mock = Join-Path $Out 'mock'
    Invoke-Native dotnet build (Join-Path $Root 'tests/conformance/MockModel/MockModel.csproj') -c $Configuration -o $mock --nologo -v quiet
    $conformanceOut = Join-Path $Out 'conformance'
    if (Test-Path $conformanceOut) { Remove-Item $conformanceOut -Recurse -Force }
    New-Item -ItemType Directory -Path $conformanceOut | Out-Null
    $env:CLIMUX_CONFORMANCE_CLI = $bin
    $env:CLIMUX_MOCK_MODEL = Join-Path $mock 'mock-model'
    $env:CLIMUX_CONFORMANCE_OUT = $conformanceOut
    $env:CLIMUX_HOME = Join-Path ([IO.Path]::GetTempPath()) "climux-conformance-home-$PID"

    $isolation = @(Get-NetworkIsolation)
    Write-Host "`n== Conformance: the real agent CLIs against the mock model API$(if ($isolation) { ', loopback only (network namespace)' } else { ' (no network namespace available here)' })"
    $result = Join-Path $conformanceOut 'result.json'
    $pwsh = @(Get-PwshCommand)
    $command = $isolation + $pwsh + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'tests/pester/Invoke-PesterSuite.ps1'),
        '-PesterModule', (Get-PesterModule), '-ModulePath', $ModuleOut, '-ResultPath', $result, '-Path', (Join-Path $Root 'tests/conformance'))
    & $command[0] @($command | Select-Object -Skip 1)
    Remove-Item $env:CLIMUX_HOME -Recurse -Force -ErrorAction SilentlyContinue

    $counts = if (Test-Path $result) { Get-Content -Raw $result | ConvertFrom-Json } else { [pscustomobject]@{ Passed = 0; Failed = 1 } }
    if ($UpdateFixtures) { Update-Fixtures (Join-Path $conformanceOut 'recordings') }
    Write-Host "conformance: $($counts.Passed) passed, $($counts.Failed) failed"
    Write-Host "$($counts.Passed) passed, $($counts.Failed) failed"
    if ($counts.Failed -gt 0) { exit 1 }
}

# Copies the conformance run's raw CLI output over the fixtures the fake agent and the parser
# tests replay, with machine-specific paths replaced by placeholders.
function Update-Fixtures([string] $Recordings) {
    foreach ($file in Get-ChildItem $Recordings -Recurse -File) {
        $cli = $file.Directory.Name
        $text = Get-Content -Raw $file.FullName
        $text = $text -replace '/tmp/climux-pester-run-\d+', 'HARNESS' -replace [regex]::Escape([Environment]::GetFolderPath('UserProfile')), 'HOME'
        $target = Join-Path $Root "tests/fakes/recordings/$cli/$($file.Name)"
        Set-Content -Path $target -Value $text -NoNewline
        Write-Host "fixture: $target"
    }
}

function Invoke-Install {
    Invoke-Build
    $userModules = ($env:PSModulePath -split [IO.Path]::PathSeparator) |
        Where-Object { $_ -and $_.StartsWith([Environment]::GetFolderPath('UserProfile')) } | Select-Object -First 1
    if (-not $userModules) { throw 'No folder of your own is on PSModulePath.' }
    $target = Join-Path $userModules "Climux/$(Get-Version)"
    if (Test-Path $target) { Remove-Item $target -Recurse -Force }
    New-Item -ItemType Directory -Path $target -Force | Out-Null
    Copy-Item (Join-Path $ModuleOut '*') $target -Recurse
    Write-Host "Installed Climux $(Get-Version) to $target. In a new pwsh: Import-Module Climux"
    if (-not $IsWindows) {
        # The command: a copy that `clean` does not remove, linked from ~/.local/bin (on PATH in most shells).
        $share = Join-Path ([Environment]::GetFolderPath('UserProfile')) ".local/share/climux/$(Get-Version)"
        Remove-Item $share -Recurse -Force -ErrorAction SilentlyContinue
        New-Item -ItemType Directory -Path $share -Force | Out-Null
        Copy-Item (Join-Path $Out 'bin/*') $share -Recurse
        $binDir = Join-Path ([Environment]::GetFolderPath('UserProfile')) '.local/bin'
        New-Item -ItemType Directory -Path $binDir -Force | Out-Null
        $link = Join-Path $binDir 'climux'
        Remove-Item $link -Force -ErrorAction SilentlyContinue
        New-Item -ItemType SymbolicLink -Path $link -Target (Join-Path $share 'climux') | Out-Null
        Write-Host "Linked $link -> $(Join-Path $share 'climux')$(if (($env:PATH -split ':') -notcontains $binDir) { " (add $binDir to PATH)" })"
    }
}

# Runs a script in a fresh pwsh whose home folder is $Sandbox: on Linux and macOS PSResourceGet's
# repository list and the CurrentUser module path (and pwsh's own, PSModulePath being left to its
# defaults) are under it, so nothing reads or writes yours. On Windows, where the scopes cannot be
# moved, PSModulePath is one scratch folder. Returns the output; throws when the script fails.
function Invoke-SandboxedPwsh([string] $Sandbox, [string] $Script) {
    New-Item -ItemType Directory -Path $Sandbox -Force | Out-Null
    $environment = @{ HOME = $Sandbox; XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null; XDG_CACHE_HOME = $null; PSModulePath = $null; CLIMUX_HOME = (Join-Path $Sandbox 'climux-home') }
    if ($IsWindows) { $environment.PSModulePath = Join-Path $Sandbox 'modules' }
    $saved = @{}
    foreach ($key in $environment.Keys) {
        $saved[$key] = [Environment]::GetEnvironmentVariable($key)
        [Environment]::SetEnvironmentVariable($key, $environment[$key])
    }
    try {
        $pwsh = @(Get-PwshCommand)
        $output = & $pwsh[0] @(@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', "`$ErrorActionPreference = 'Stop'; $Script")) 2>&1
        if ($LASTEXITCODE -ne 0) { throw "A packaging step failed:`n$($output -join "`n")" }
        return $output
    }
    finally {
        foreach ($key in $saved.Keys) { [Environment]::SetEnvironmentVariable($key, $saved[$key]) }
    }
}

# A script that registers out/packages as a PSResourceGet repository named $Name, runs $Body, and
# unregisters it again whatever happens.
function Get-RepositoryScript([string] $Name, [string] $Packages, [string] $Body) {
    "Register-PSResourceRepository -Name '$Name' -Uri '$Packages' -Trusted; try { $Body } finally { Unregister-PSResourceRepository -Name '$Name' }"
}

# Writes out/packages/Climux.<version>.nupkg (the module, as PSResourceGet publishes it) and, when
# src/Climux.Cli exists, out/packages/tool/climux.<version>.nupkg (the climux command as a .NET tool);
# then installs each into a scratch folder and uses it, as a user would.
function Invoke-Pack {
    Invoke-Build
    $version = Get-Version
    $packages = Join-Path $Out 'packages'
    Remove-Item $packages -Recurse -Force -ErrorAction SilentlyContinue
    New-Item -ItemType Directory -Path $packages | Out-Null
    $sandbox = Join-Path ([IO.Path]::GetTempPath()) "climux-pack-$PID"
    $repository = "ClimuxPack$PID"
    try {
        Write-Host "`n== Packages"
        Invoke-SandboxedPwsh (Join-Path $sandbox 'publish') (Get-RepositoryScript $repository $packages "Publish-PSResource -Path '$ModuleOut' -Repository '$repository'") | Out-Null
        $modulePackage = Join-Path $packages "Climux.$version.nupkg"
        if (-not (Test-Path $modulePackage)) { throw "Publish-PSResource did not write $modulePackage." }
        Write-Host "Module package: $modulePackage"
        # The tool in a feed of its own: NuGet ids ignore case, so beside Climux.<version>.nupkg a
        # climux.<version>.nupkg would be taken for the module by PSResourceGet, and the module for the
        # tool by NuGet (as nuget.org and the PowerShell Gallery are two feeds).
        $cli = Join-Path $Root 'src/Climux.Cli/Climux.Cli.csproj'
        $toolFeed = Join-Path $packages 'tool'
        $toolPackage = Join-Path $toolFeed "climux.$version.nupkg"
        if (Test-Path $cli) {
            Invoke-Native dotnet pack $cli -c $Configuration -o $toolFeed --nologo -v quiet
            if (-not (Test-Path $toolPackage)) { throw "dotnet pack did not write $toolPackage (PackageId climux, PackAsTool)." }
            Write-Host "Tool package: $toolPackage"
        }
        else { Write-Host 'No src/Climux.Cli yet: no tool package.' }

        Write-Host "`n== Installing them as a user would, into $sandbox"
        # From the repository into the scratch CurrentUser scope (saved into a scratch PSModulePath
        # folder on Windows, where the scope cannot be moved), then imported by name in a new pwsh.
        $install = if ($IsWindows) { "Save-PSResource Climux -Repository '$repository' -Version '$version' -Path `$env:PSModulePath -TrustRepository" }
                   else { "Install-PSResource Climux -Repository '$repository' -Version '$version' -Scope CurrentUser -TrustRepository" }
        $user = Join-Path $sandbox 'install'
        Invoke-SandboxedPwsh $user (Get-RepositoryScript $repository $packages $install) | Out-Null
        $use = @'
Import-Module Climux
'module=' + (Get-Module Climux).ModuleBase
Set-ClimuxConfig concurrency.maxActiveSessions 2
'limit=' + (Get-ClimuxStatus).MaxActiveSessions
$repo = Join-Path $env:CLIMUX_HOME 'repo'; git init -q -b main $repo; git -C $repo -c user.name=pack -c user.email=pack@example.invalid commit -q --allow-empty -m first
Set-Location $repo; 'worktree=' + (New-ClimuxWorktree feature-pack).Branch
'@
        $output = Invoke-SandboxedPwsh $user $use
        foreach ($line in "module=$(Join-Path $user '*')", 'limit=2', 'worktree=feature-pack') {
            if (-not ($output | Where-Object { $_ -like $line })) { throw "The installed module did not give '$line':`n$($output -join "`n")" }
        }
        Write-Host 'Install-PSResource Climux, then Import-Module Climux by name: YAML, SQLite and libgit2 work.'
        if (Test-Path $toolPackage) {
            $tools = Join-Path $sandbox 'tools'
            Invoke-Native dotnet tool install --tool-path $tools --add-source $toolFeed climux --version $version
            $help = & (Join-Path $tools 'climux') --help 2>&1
            if ($LASTEXITCODE -ne 0) { throw "The installed climux --help exited with $($LASTEXITCODE):`n$($help -join "`n")" }
            Write-Host 'dotnet tool install climux, then climux --help: it runs.'
        }
    }
    finally {
        Remove-Item $sandbox -Recurse -Force -ErrorAction SilentlyContinue
    }
}

function Invoke-Clean {
    Remove-Item $Out -Recurse -Force -ErrorAction SilentlyContinue
    Get-ChildItem $Root -Directory -Recurse -Include bin, obj | Where-Object FullName -NotMatch '[\\/]\.git[\\/]' |
        Remove-Item -Recurse -Force -ErrorAction SilentlyContinue
}

# Runs bench/: the engine's benchmarks (Climux.Bench) and the module's start in cold pwsh processes.
# Leaves the store of the stats benchmark in out/bench/stats-home (a Climux home, reused by the next
# run) and every figure in out/bench/results.json.
function Invoke-Bench {
    Invoke-Build
    $benchOut = Join-Path $Out 'bench'
    $bin = Join-Path $benchOut 'bin'
    New-Item -ItemType Directory -Path $benchOut -Force | Out-Null
    Write-Host "`n== Benchmarks (times are reported, not asserted)"
    Invoke-Native dotnet build (Join-Path $Root 'bench/Climux.Bench/Climux.Bench.csproj') -c Release -o $bin --nologo -v quiet
    $engine = Join-Path $benchOut 'engine.json'
    Invoke-Native dotnet (Join-Path $bin 'Climux.Bench.dll') --home (Join-Path $benchOut 'stats-home') --results $engine

    Write-Host "== module start"
    $start = Join-Path $benchOut 'module-start.json'
    $cli = @('climux', 'climux.exe') | ForEach-Object { Join-Path $Out "bin/$_" } | Where-Object { Test-Path $_ } | Select-Object -First 1
    & (Join-Path $Root 'bench/Measure-ModuleStart.ps1') -ModulePath $ModuleOut -Pwsh (Get-PwshCommand) -ResultPath $start -CliPath $cli

    $results = Join-Path $benchOut 'results.json'
    [ordered]@{
        version    = Get-Version
        commit     = (git -C $Root rev-parse --short HEAD 2>$null)
        date       = (Get-Date).ToUniversalTime().ToString('o')
        machine    = [ordered]@{ os = [Runtime.InteropServices.RuntimeInformation]::OSDescription; processors = [Environment]::ProcessorCount }
        benchmarks = @((Get-Content -Raw $engine | ConvertFrom-Json) + (Get-Content -Raw $start | ConvertFrom-Json))
    } | ConvertTo-Json -Depth 4 | Set-Content -Path $results
    Remove-Item $engine, $start
    Write-Host "Figures: $results; the stats store: $(Join-Path $benchOut 'stats-home')"
}

function Invoke-Demo {
    Invoke-Build
    $pwsh = @(Get-PwshCommand)
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'demo/Demo.ps1'),
        '-ModulePath', $ModuleOut, '-OutFolder', (Join-Path $Out 'demo'))
    & $pwsh[0] @arguments
    if ($LASTEXITCODE -ne 0) { throw "The demo failed (exit code $LASTEXITCODE)." }
}

switch ($Task) {
    'build' { Invoke-Build }
    'test' { Invoke-Test }
    'install' { Invoke-Install }
    'pack' { Invoke-Pack }
    'clean' { Invoke-Clean }
    'demo' { Invoke-Demo }
    'bench' { Invoke-Bench }
    'conformance' { Invoke-Conformance }
}
