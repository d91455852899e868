using System.Management.Automation;
using Climux.Core.Quotas;

namespace Climux.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Shows running and queued sessions across every process, the limits, per-workspace counts, and today's cost against the budget.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "ClimuxStatus")]
[OutputType(typeof(ClimuxStatus))]
public sealed class GetClimuxStatusCommand : ClimuxCmdlet
{
    protected override void EndProcessing()
    {
        var config = LoadConfig().Config;
        var store = OpenStore();
        ReclaimOrphans(store);
        WriteObject(ClimuxStatus.Read(store, config));
    }
}
