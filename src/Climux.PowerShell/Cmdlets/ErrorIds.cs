namespace Climux.PowerShell.Cmdlets;

/// <summary>Stable error ids: scripts match on them (<c>$_.FullyQualifiedErrorId -like 'ClimuxConfigInvalid,*'</c>).</summary>
public static class ErrorIds
{
    public const string ConfigInvalid = "ClimuxConfigInvalid";
    public const string ConfigKeyInvalid = "ClimuxConfigKeyInvalid";
    public const string ConfigValueInvalid = "ClimuxConfigValueInvalid";
    public const string ConfigExists = "ClimuxConfigExists";
    public const string NotInWorkspace = "ClimuxNotInWorkspace";
    public const string StoreTooNew = "ClimuxStoreTooNew";
    public const string ProviderNotFound = "ClimuxProviderNotFound";
}
