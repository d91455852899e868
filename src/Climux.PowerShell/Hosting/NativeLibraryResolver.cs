using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Climux.PowerShell.Hosting;

/// <summary>
/// Lets native libraries (SQLite, libgit2) load from the module folder or its <c>runtimes/</c>
/// tree, wherever the module was installed: pwsh only probes its own folder.
/// </summary>
public sealed class NativeLibraryResolver : IModuleAssemblyInitializer
{
    private static int _registered;

    public void OnImport()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
            AssemblyLoadContext.Default.ResolvingUnmanagedDll += Resolve;
    }

    private static IntPtr Resolve(Assembly assembly, string name)
    {
        var moduleDirectory = Path.GetDirectoryName(typeof(NativeLibraryResolver).Assembly.Location)!;
        var rid = RuntimeInformation.RuntimeIdentifier;
        var fileNames = new[] { name, $"lib{name}.so", $"lib{name}.dylib", $"{name}.dll", $"{name}.so", $"{name}.dylib" };
        var folders = new[] { moduleDirectory, Path.Combine(moduleDirectory, "runtimes", rid, "native") };
        foreach (var folder in folders)
            foreach (var file in fileNames)
            {
                var candidate = Path.Combine(folder, file);
                if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle))
                    return handle;
            }
        return IntPtr.Zero;
    }
}
