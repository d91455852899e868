BeforeAll { . $PSScriptRoot/Common.ps1 }

Describe 'The module manifest' {
    BeforeAll { $script:manifest = Import-PowerShellDataFile (Join-Path $script:ModulePath 'Climux.psd1') }

    It 'declares PowerShell 7.6 Core, the lowest it is tested on' {
        $script:manifest.CompatiblePSEditions | Should -Be @('Core')
        $script:manifest.PowerShellVersion | Should -Be '7.6'
        $tested = (Get-Content -Raw (Join-Path $script:RepoRoot '.config/dotnet-tools.json') | ConvertFrom-Json).tools.powershell.version
        ([version]$tested).ToString(2) | Should -Be $script:manifest.PowerShellVersion
    }

    It 'carries what a gallery shows: description, project, licence, tags and release notes' {
        $script:manifest.Description | Should -Match 'coding agents'
        $data = $script:manifest.PrivateData.PSData
        $data.ProjectUri | Should -Match '^https://'
        $data.LicenseUri | Should -Match '^https://.*LICENSE$'
        $data.Tags | Should -Contain 'PSEdition_Core'
        $data.ReleaseNotes | Should -Not -BeNullOrEmpty
        Test-ModuleManifest (Join-Path $script:ModulePath 'Climux.psd1') | Should -Not -BeNullOrEmpty
    }

    It 'ships its MIT licence' {
        Join-Path $script:ModulePath 'LICENSE' | Should -FileContentMatch 'MIT License'
    }
}
