using System.Management.Automation;
using Climux.Core.Store;

namespace Climux.PowerShell.Cmdlets;

/// <summary>Copies this machine's sessions and transcripts into a shared PostgreSQL store.</summary>
/// <remarks>
/// <para>Copy-ClimuxStore writes every session of the current store (with its transcript) into the
/// PostgreSQL store that -To names, creating its tables when it is new. A session the target already
/// holds is left as it is, so running it again copies only what is new (it is idempotent). It outputs
/// one ClimuxStoreCopy: From, To (server and database, never a password), Copied, AlreadyThere and Events.</para>
/// <para>The connection string holds no password: Npgsql takes it from PGPASSWORD or a pgpass file.
/// A target that cannot be reached is a terminating ClimuxStoreUnavailable error naming the server.
/// -WhatIf and -Confirm are supported.</para>
/// </remarks>
/// <example>
/// <code>Copy-ClimuxStore -To 'Host=db.internal;Database=climux;Username=ann'</code>
/// <para>Moves this machine's history into the team store; then set store.postgres to the same string.</para>
/// </example>
/// <example>
/// <code>Copy-ClimuxStore $env:CLIMUX_STORE -WhatIf</code>
/// <para>Shows which server and database the copy would write to, without copying anything.</para>
/// </example>
[Cmdlet(VerbsCommon.Copy, "ClimuxStore", SupportsShouldProcess = true)]
[OutputType(typeof(ClimuxStoreCopy))]
public sealed class CopyClimuxStoreCommand : ClimuxCmdlet
{
    /// <summary>The Npgsql connection string of the target PostgreSQL store (no password in it).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string To { get; set; } = "";

    protected override void EndProcessing()
    {
        var target = PostgresDialect.Describe(To);
        if (!ShouldProcess(target, $"Copy the sessions of {Engine.Store.Location}"))
            return;
        try
        {
            WriteObject(Engine.CopyStoreTo(To));
        }
        catch (StoreException e)
        {
            ThrowTerminatingError(Hosting.StoreErrors.Record(e));
        }
    }
}
