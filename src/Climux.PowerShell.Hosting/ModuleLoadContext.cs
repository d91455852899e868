using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Climux.PowerShell.Hosting;

/// <summary>
/// The module's own load context: Climux.Core and every library it uses (YamlDotNet, SQLite, LibGit2Sharp, …)
/// load here from the module's <c>dependencies</c> folder, so another module's copy of the same library, in
/// PowerShell's default context, neither breaks Climux nor is broken by it. What the folder does not hold
/// (.NET itself) comes from the default context.
/// </summary>
internal sealed class ModuleLoadContext(string folder) : AssemblyLoadContext("Climux", isCollectible: false)
{
    protected override Assembly? Load(AssemblyName name)
    {
        var path = Path.Combine(folder, name.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    /// <summary>SQLite and libgit2, from the folder itself or from its <c>runtimes/&lt;rid&gt;/native</c> tree.</summary>
    protected override IntPtr LoadUnmanagedDll(string name)
    {
        string[] fileNames = [name, $"lib{name}.so", $"lib{name}.dylib", $"{name}.dll", $"{name}.so", $"{name}.dylib"];
        var folders = RuntimeIdentifiers().Select(rid => Path.Combine(folder, "runtimes", rid, "native")).Prepend(folder);
        foreach (var candidateFolder in folders)
            foreach (var fileName in fileNames)
            {
                var path = Path.Combine(candidateFolder, fileName);
                if (File.Exists(path))
                    return LoadUnmanagedDllFromPath(path);
            }
        return IntPtr.Zero;
    }

    /// <summary>This machine's runtime identifier, then the portable one NuGet packages name their folders after.</summary>
    private static IEnumerable<string> RuntimeIdentifiers()
    {
        var rid = RuntimeInformation.RuntimeIdentifier;
        yield return rid;
        var os = OperatingSystem.IsWindows() ? "win"
            : OperatingSystem.IsMacOS() ? "osx"
            : rid.Contains("musl", StringComparison.Ordinal) || rid.StartsWith("alpine", StringComparison.Ordinal) ? "linux-musl"
            : "linux";
        yield return $"{os}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";
    }
}
