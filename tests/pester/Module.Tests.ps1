BeforeAll { . $PSScriptRoot/Common.ps1 }

Describe 'The built module' {
    It 'imports in a fresh pwsh with no warnings and no errors' {
        $home_ = New-TestHome
        $output = Invoke-FreshPwsh -Script "Import-Module '$script:ModulePath' -Force -WarningVariable w -ErrorVariable e; 'warnings=' + `$w.Count; 'errors=' + `$e.Count" -Environment @{ CLIMUX_HOME = $home_ }
        $output | Should -Contain 'warnings=0'
        $output | Should -Contain 'errors=0'
    }

    It 'exports exactly the cmdlets its manifest lists, each with an approved verb' {
        $manifest = Import-PowerShellDataFile (Join-Path $script:ModulePath 'Climux.psd1')
        $exported = (Get-Module Climux).ExportedCmdlets.Keys | Sort-Object
        $exported | Should -Be ($manifest.CmdletsToExport | Sort-Object)
        $approved = (Get-Verb).Verb
        foreach ($name in $exported) { $name.Split('-')[0] | Should -BeIn $approved }
        $exported | Should -Contain 'Get-ClimuxConfig'
        $exported | Should -Contain 'Get-ClimuxProvider'
    }

    It 'carries the version of Directory.Build.props' {
        $version = ([xml](Get-Content -Raw (Join-Path $script:RepoRoot 'Directory.Build.props'))).Project.PropertyGroup.Version | Where-Object { $_ } | Select-Object -First 1
        (Get-Module Climux).Version.ToString() | Should -Be $version
    }

    It 'has help for every cmdlet: synopsis, description, examples and every parameter described' {
        foreach ($name in (Get-Module Climux).ExportedCmdlets.Keys) {
            $help = Get-Help $name -Full
            $help.Synopsis | Should -Not -Match '^\s*\S+-Climux\S*\s*$' -Because "$name needs a synopsis"
            ($help.description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "$name needs a description"
            @($help.examples.example).Count | Should -BeGreaterOrEqual 2 -Because "$name needs examples"
            foreach ($parameter in @($help.parameters.parameter | Where-Object { $_.name })) {
                ($parameter.description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "$name -$($parameter.name) needs a description"
            }
        }
    }

    It 'has about_Climux help' {
        $help = Get-Help about_Climux
        ($help | Out-String) | Should -Match 'CLIMUX_HOME'
    }
}
