using System.Collections;
using System.Management.Automation;
using Climux.Core.Sessions;
using Climux.PowerShell.Jobs;

namespace Climux.PowerShell.Cmdlets;

/// <summary>
/// Lets a session parameter take what scripts have at hand: an id or name, a ClimuxSession, or
/// the job Start-ClimuxRun returned (whose own Id is the job's number, not the session's).
/// </summary>
public sealed class SessionReferenceAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) => inputData switch
    {
        null => null,
        string text => text,
        IEnumerable items when Unwrap(inputData) is not ClimuxSession and not ClimuxRunJob =>
            items.Cast<object?>().Select(ToReference).ToArray(),
        _ => ToReference(inputData),
    };

    private static object? Unwrap(object? value) => value is PSObject ps ? ps.BaseObject : value;

    private static object? ToReference(object? item) => Unwrap(item) switch
    {
        ClimuxSession session => session.Id,
        ClimuxRunJob job => job.SessionId,
        PSObject { Properties: var properties } when properties["SessionId"]?.Value is string id => id,
        var other => other,
    };
}
