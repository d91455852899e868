using System.Management.Automation;
using System.Reflection;
using Climux.Core.Store;
using Climux.PowerShell.Cmdlets;

namespace Climux.PowerShell.Hosting;

/// <summary>
/// A damaged or unreachable store can surface in any cmdlet, at any call into the engine. The
/// store the cmdlets' engines use is wrapped so that its failures carry their error record
/// (ClimuxStoreCorrupt, ClimuxStoreUnavailable, ClimuxStoreTooNew): PowerShell reports an
/// exception that carries one with that record, instead of the exception's type name.
/// </summary>
public class StoreErrors : DispatchProxy
{
    private IClimuxStore _inner = null!;

    internal static IClimuxStore Reporting(IClimuxStore store)
    {
        var proxy = Create<IClimuxStore, StoreErrors>();
        ((StoreErrors)(object)proxy)._inner = store;
        return proxy;
    }

    /// <summary>The error record a store failure stands for.</summary>
    internal static ErrorRecord Record(StoreException e) => e is ReportedStoreException reported ? reported.ErrorRecord : new(e, e switch
    {
        StoreCorruptException => ErrorIds.StoreCorrupt,
        StoreVersionException => ErrorIds.StoreTooNew,
        _ => ErrorIds.StoreUnavailable,
    }, e is StoreUnavailableException ? ErrorCategory.ResourceUnavailable : ErrorCategory.InvalidData, e.StorePath);

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        try
        {
            return targetMethod!.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is StoreException failure and not ReportedStoreException)
        {
            throw new ReportedStoreException(failure);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}

/// <summary>A store failure with the error record the cmdlets report for it; still a <see cref="StoreException"/> for Core.</summary>
public sealed class ReportedStoreException(StoreException failure)
    : StoreException(failure.StorePath, failure.Message, failure), IContainsErrorRecord
{
    public ErrorRecord ErrorRecord { get; } = StoreErrors.Record(failure);
}
