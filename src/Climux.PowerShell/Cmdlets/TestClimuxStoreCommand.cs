using System.Management.Automation;
using Climux.Core.Engine;
using Climux.Core.Store;

namespace Climux.PowerShell.Cmdlets;

/// <summary>Checks the Climux store: whether it can be opened, its schema version, its integrity and how many sessions it holds.</summary>
/// <remarks>
/// <para>Test-ClimuxStore runs the database's own integrity check on the store of CLIMUX_HOME
/// ($CLIMUX_HOME/climux.db) and outputs one ClimuxStoreCheck: Path (the file), Health (Ok, Missing,
/// Corrupt, Unavailable or TooNew), Healthy (true for Ok and Missing), SchemaVersion and
/// SupportedVersion, Integrity ("ok", or what the check or the attempt to open the file reported),
/// Sessions (how many it holds; empty when they could not be counted) and Advice (how to recover,
/// when it is not healthy).</para>
/// <para>It neither creates nor changes the store, so it also works on a store too damaged for the
/// other cmdlets, which stop with ClimuxStoreCorrupt (the file is damaged), ClimuxStoreUnavailable
/// (it cannot be opened or written: permissions, a full disk, a lock held too long) or
/// ClimuxStoreTooNew (a newer Climux wrote it). A missing store is healthy: the first Climux command
/// creates it. A damaged store is reported in the output, not as an error; move it aside as Advice
/// says and Climux starts a new one. On a large store the check reads every page and can take a
/// while.</para>
/// </remarks>
/// <example>
/// <code>Test-ClimuxStore</code>
/// <para>Shows the store's file, health, schema version, integrity and session count.</para>
/// </example>
/// <example>
/// <code>$check = Test-ClimuxStore
/// if (-not $check.Healthy) { Write-Warning $check.Advice }</code>
/// <para>Warns with the way to recover when the store is damaged or cannot be opened.</para>
/// </example>
/// <example>
/// <code>try { Get-ClimuxSession } catch { if ($_.FullyQualifiedErrorId -like 'ClimuxStoreCorrupt,*') { Test-ClimuxStore | Format-List } }</code>
/// <para>Shows the full check when a command stops because the store is damaged.</para>
/// </example>
[Cmdlet(VerbsDiagnostic.Test, "ClimuxStore")]
[OutputType(typeof(ClimuxStoreCheck))]
public sealed class TestClimuxStoreCommand : ClimuxCmdlet
{
    protected override void EndProcessing() => WriteObject(ClimuxEngine.CheckStore(Home));
}
