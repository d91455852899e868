BeforeAll {
    . $PSScriptRoot/Common.ps1
    # Another module's YamlDotNet, as powershell-yaml carries one: fetched by tests/tools/Tools.csproj.
    $script:OtherYaml = Join-Path $env:CLIMUX_TEST_NUGET_PACKAGES 'yamldotnet/11.2.1/lib/netstandard2.1/YamlDotNet.dll'
    # What the other module does with its YamlDotNet: parse a document, from PowerShell's default context.
    $script:UseOtherYaml = @'
$stream = [YamlDotNet.RepresentationModel.YamlStream]::new(); $stream.Load([IO.StringReader]::new("a: 1`nb: 2"))
'other yaml=' + [YamlDotNet.RepresentationModel.YamlStream].Assembly.GetName().Version.Major + ' keys=' + $stream.Documents[0].RootNode.Children.Count
'@
    # A Climux command that reads and writes YAML (the config file).
    $script:UseClimuxYaml = "Set-ClimuxConfig concurrency.maxActiveSessions 4; 'climux config=' + (Get-ClimuxConfig concurrency.maxActiveSessions).Value"

    # A fresh pwsh running $Script, with no Climux imported beforehand (unlike Invoke-FreshPwsh).
    function Invoke-BarePwsh([string] $Script) {
        $pwsh = @(Get-PwshCommand)
        & $pwsh[0] @(@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', "`$ErrorActionPreference = 'Stop'; $Script")) 2>&1
    }
}

Describe 'Dependency isolation' {
    BeforeEach { New-TestHome | Out-Null }

    It 'has the other YamlDotNet to test with' {
        $script:OtherYaml | Should -Exist
    }

    It 'works when another module loaded a different YamlDotNet first, and leaves that one working' {
        $output = Invoke-BarePwsh "Add-Type -Path '$script:OtherYaml'; $script:UseOtherYaml; Import-Module '$script:ModulePath'; $script:UseClimuxYaml; $script:UseOtherYaml"
        $output | Should -Contain 'climux config=4'
        @($output | Where-Object { $_ -eq 'other yaml=11 keys=2' }).Count | Should -Be 2 -Because ($output | Out-String)
    }

    It 'lets another module load a different YamlDotNet after Climux used its own' {
        $output = Invoke-BarePwsh "Import-Module '$script:ModulePath'; $script:UseClimuxYaml; Add-Type -Path '$script:OtherYaml'; $script:UseOtherYaml; $script:UseClimuxYaml"
        @($output | Where-Object { $_ -eq 'climux config=4' }).Count | Should -Be 2 -Because ($output | Out-String)
        $output | Should -Contain 'other yaml=11 keys=2'
    }

    It 'loads Climux.Core and every library in its own load context, and the cmdlets in the default one' {
        $repo = New-TestRepo
        $output = Invoke-FreshPwsh -Script ("Set-ClimuxConfig defaultProvider codex; Get-ClimuxStatus | Out-Null; Set-Location '$repo'; Get-ClimuxWorktree | Out-Null`n" + @'
[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -match '^(Climux|YamlDotNet|Microsoft\.Data\.Sqlite|SQLitePCLRaw|LibGit2Sharp)' } |
    ForEach-Object { '{0}={1}' -f $_.GetName().Name, [Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name }
'@)
        $output | Should -Contain 'Climux.PowerShell=Default'
        foreach ($name in 'Climux.Core', 'YamlDotNet', 'Microsoft.Data.Sqlite', 'SQLitePCLRaw.core', 'LibGit2Sharp') {
            $output | Should -Contain "$name=Climux" -Because ($output | Out-String)
        }
    }

    It 'loads no library at import, only when a command needs it' {
        $output = Invoke-FreshPwsh -Script @'
[AppDomain]::CurrentDomain.GetAssemblies().GetName().Name | Where-Object { $_ -match '^(YamlDotNet|Microsoft\.Data\.Sqlite|SQLitePCLRaw|LibGit2Sharp|CliWrap|MAB\.DotIgnore)' } | ForEach-Object { "loaded=$_" }
'done'
'@
        $output | Should -Contain 'done'
        @($output | Where-Object { $_ -like 'loaded=*' }) | Should -BeNullOrEmpty
    }

    It 'keeps the cmdlet assembly free of third-party references (they would bind in the default context)' {
        $references = (Get-Module Climux).ImplementingAssembly.GetReferencedAssemblies().Name
        $references | Should -Contain 'Climux.Core'
        $references | Where-Object { $_ -notmatch '^(System(\..+)?|Microsoft\.Win32\..+|netstandard|Climux\.Core|System\.Management\.Automation)$' } |
            Should -BeNullOrEmpty
    }
}

Describe 'The module in other runspaces and processes' {
    BeforeEach { $script:home_ = New-TestHome; Set-ClimuxConfig concurrency.maxActiveSessions 7 }

    It 'works in a thread job' {
        $job = Start-ThreadJob { Import-Module $using:ModulePath; (Get-ClimuxStatus).MaxActiveSessions }
        $job | Receive-Job -Wait -AutoRemoveJob | Should -Be 7
    }

    It 'works in ForEach-Object -Parallel' {
        $limits = 1..3 | ForEach-Object -ThrottleLimit 3 -Parallel { Import-Module $using:ModulePath; (Get-ClimuxStatus).MaxActiveSessions }
        $limits | Should -Be 7, 7, 7
    }

    It 'works in a PowerShell job (another process)' {
        $job = Start-Job { $env:CLIMUX_HOME = $using:home_; Import-Module $using:ModulePath; (Get-ClimuxStatus).MaxActiveSessions }
        $job | Receive-Job -Wait -AutoRemoveJob | Should -Be 7
    }
}
