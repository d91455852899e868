using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace Climux.PowerShell.Hosting;

/// <summary>
/// Runs when the module is imported, and does only this: when the cmdlets first need Climux.Core, it is
/// loaded into the module's own load context (<see cref="ModuleLoadContext"/>), which then serves every
/// library Climux.Core uses. Nothing is loaded here; each library loads when a command first needs it.
/// </summary>
/// <remarks>
/// The cmdlet assembly stays in PowerShell's default context and may reference only Climux.Core,
/// System.Management.Automation and .NET: a type of a third-party library named in a cmdlet would be bound
/// in the default context, where another module's version of that library may already be.
/// </remarks>
public sealed class DependencyIsolation : IModuleAssemblyInitializer
{
    private const string EngineAssembly = "Climux.Core";
    private static readonly Assembly Self = typeof(DependencyIsolation).Assembly;
    private static readonly Lazy<ModuleLoadContext> Context =
        new(() => new ModuleLoadContext(Path.Combine(Path.GetDirectoryName(Self.Location)!, "dependencies")));
    private static int _registered;

    public void OnImport()
    {
        // Imported again by another runspace (a thread job, ForEach-Object -Parallel): one handler is enough.
        if (Interlocked.Exchange(ref _registered, 1) == 0)
            AssemblyLoadContext.Default.Resolving += ResolveEngine;
    }

    private static Assembly? ResolveEngine(AssemblyLoadContext defaultContext, AssemblyName name) =>
        name.Name == EngineAssembly && name.Version == Self.GetName().Version ? Context.Value.LoadFromAssemblyName(name) : null;
}
