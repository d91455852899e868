<#
.SYNOPSIS
    Writes the module's cmdlet help (MAML) from the cmdlets' own XML doc comments and parameter
    metadata, so Get-Help shows synopsis, description, parameters and examples.
.DESCRIPTION
    Run in a fresh pwsh (it imports the built module). Reads, for each exported cmdlet, the class's
    <summary> (synopsis), <remarks> (description paragraphs) and <example> blocks (<code> and
    <para>), and each parameter property's <summary>, from the compiler's documentation file.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $DocumentationFile,
    [Parameter(Mandatory)] [string] $OutFile
)
$ErrorActionPreference = 'Stop'
$module = Import-Module $ModulePath -PassThru
$docs = @{}
foreach ($member in ([xml](Get-Content -Raw $DocumentationFile)).doc.members.member) { $docs[$member.name] = $member }

# The text of a doc element, with <c>, <see cref> and paragraphs flattened and spaces tidied.
function Get-Text($Node) {
    if ($null -eq $Node) { return '' }
    if ($Node -is [string]) { return ($Node -replace '\s+', ' ').Trim() }   # an element holding only text
    $parts = foreach ($child in $Node.ChildNodes) {
        switch ($child.NodeType) {
            'Text' { $child.Value }
            'Element' {
                switch ($child.LocalName) {
                    'see' { ($child.GetAttribute('cref') -split '[.:]')[-1] }
                    'paramref' { '-' + $child.GetAttribute('name') }
                    default { Get-Text $child }
                }
            }
        }
    }
    (($parts -join '') -replace '\s+', ' ').Trim()
}

function Get-Paragraphs($Node) {
    if ($null -eq $Node) { return @() }
    $paras = @($Node.SelectNodes('para'))
    if ($paras.Count -eq 0) { return @(Get-Text $Node) }
    return @($paras | ForEach-Object { Get-Text $_ })
}

# DateTime for Nullable`1[DateTime]; String[] as it is.
function Get-TypeName([type] $Type) { ([Nullable]::GetUnderlyingType($Type) ?? $Type).Name }

$ns = @{ maml = 'http://schemas.microsoft.com/maml/2004/10'; command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'; dev = 'http://schemas.microsoft.com/maml/dev/2004/10' }
$settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
$writer = [System.Xml.XmlWriter]::Create($OutFile, $settings)
function Element([string] $Prefix, [string] $Name, [string] $Text) { $writer.WriteElementString($Prefix, $Name, $ns[$Prefix], $Text) }
function Paragraphs([string[]] $Paragraphs) {
    $writer.WriteStartElement('maml', 'description', $ns.maml)
    foreach ($p in $Paragraphs) { Element maml para $p }
    $writer.WriteEndElement()
}

$commonParameters = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
$writer.WriteStartDocument()
$writer.WriteStartElement('helpItems', 'http://msh')
$writer.WriteAttributeString('schema', 'maml')
foreach ($command in $module.ExportedCmdlets.Values | Sort-Object Name) {
    $type = $command.ImplementingType
    $doc = $docs["T:$($type.FullName)"]
    if (-not $doc) { throw "$($command.Name) ($($type.FullName)) has no doc comment." }
    $writer.WriteStartElement('command', 'command', $ns.command)
    foreach ($prefix in 'maml', 'command', 'dev') { $writer.WriteAttributeString('xmlns', $prefix, $null, $ns[$prefix]) }

    $writer.WriteStartElement('command', 'details', $ns.command)
    Element command name $command.Name
    Element command verb $command.Verb
    Element command noun $command.Noun
    Paragraphs @(Get-Text $doc.summary)
    $writer.WriteEndElement()
    Paragraphs (Get-Paragraphs $doc.remarks)

    $parameters = $command.Parameters.Values | Where-Object { $_.Name -notin $commonParameters }
    function ParameterDescription($Parameter) {
        $property = $type.GetProperty($Parameter.Name)
        Get-Text $docs["P:$($property.DeclaringType.FullName).$($Parameter.Name)"].summary
    }
    function WriteParameter($Parameter, $Set) {
        $attribute = $Parameter.ParameterSets[$Set.Name] ?? $Parameter.ParameterSets['__AllParameterSets']
        $pipeline = @(if ($attribute.ValueFromPipeline) { 'ByValue' }; if ($attribute.ValueFromPipelineByPropertyName) { 'ByPropertyName' }) -join ', '
        $isSwitch = $Parameter.SwitchParameter
        $writer.WriteStartElement('command', 'parameter', $ns.command)
        $writer.WriteAttributeString('required', "$($attribute.IsMandatory)".ToLowerInvariant())
        $writer.WriteAttributeString('position', $(if ($attribute.Position -ge 0) { "$($attribute.Position)" } else { 'named' }))
        $writer.WriteAttributeString('pipelineInput', $(if ($pipeline) { "True ($pipeline)" } else { 'False' }))
        $writer.WriteAttributeString('globbing', "$([bool]($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }))".ToLowerInvariant())
        Element maml name $Parameter.Name
        Paragraphs @(ParameterDescription $Parameter)
        if (-not $isSwitch) {
            $writer.WriteStartElement('command', 'parameterValue', $ns.command)
            $writer.WriteAttributeString('required', 'true')
            $writer.WriteString((Get-TypeName $Parameter.ParameterType))
            $writer.WriteEndElement()
        }
        $writer.WriteStartElement('dev', 'type', $ns.dev)
        Element maml name $Parameter.ParameterType.FullName
        $writer.WriteEndElement()
        $writer.WriteEndElement()
    }

    $writer.WriteStartElement('command', 'syntax', $ns.command)
    foreach ($set in $command.ParameterSets) {
        $writer.WriteStartElement('command', 'syntaxItem', $ns.command)
        Element maml name $command.Name
        foreach ($parameter in $set.Parameters | Where-Object { $_.Name -notin $commonParameters }) { WriteParameter $command.Parameters[$parameter.Name] $set }
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'parameters', $ns.command)
    foreach ($parameter in $parameters) { WriteParameter $parameter $command.ParameterSets[0] }
    $writer.WriteEndElement()

    $outputs = @($command.OutputType | ForEach-Object Name)
    if ($outputs) {
        $writer.WriteStartElement('command', 'returnValues', $ns.command)
        foreach ($output in $outputs) {
            $writer.WriteStartElement('command', 'returnValue', $ns.command)
            $writer.WriteStartElement('dev', 'type', $ns.dev)
            Element maml name $output
            $writer.WriteEndElement()
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()
    }

    $writer.WriteStartElement('command', 'examples', $ns.command)
    $number = 0
    foreach ($example in @($doc.SelectNodes('example'))) {
        $number++
        $writer.WriteStartElement('command', 'example', $ns.command)
        Element maml title "-------------------------- Example $number --------------------------"
        Element dev code ((($example.SelectSingleNode('code').InnerText -split "`n") | ForEach-Object { $_.Trim() } | Where-Object { $_ }) -join "`n")
        $writer.WriteStartElement('dev', 'remarks', $ns.dev)
        foreach ($para in @($example.SelectNodes('para'))) { Element maml para (Get-Text $para) }
        $writer.WriteEndElement()
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'relatedLinks', $ns.command)
    $writer.WriteStartElement('maml', 'navigationLink', $ns.maml)
    Element maml linkText 'about_Climux'
    $writer.WriteEndElement()
    $writer.WriteEndElement()

    $writer.WriteEndElement()
}
$writer.WriteEndElement()
$writer.WriteEndDocument()
$writer.Close()
Write-Host "Help: $OutFile ($($module.ExportedCmdlets.Count) cmdlets)"
