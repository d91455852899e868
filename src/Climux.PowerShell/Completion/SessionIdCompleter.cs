using Climux.Core.Paths;
using Climux.Core.Sessions;
using Climux.PowerShell.Hosting;

namespace Climux.PowerShell.Completion;

/// <summary>Completes session ids (newest first) and names, with the prompt as the tooltip.</summary>
public sealed class SessionIdCompleter : ClimuxCompleter
{
    protected override IEnumerable<(string Value, string Tooltip)> Candidates(string currentDirectory)
    {
        var home = ClimuxHome.FromEnvironment(currentDirectory);
        if (!File.Exists(home.DatabaseFile))
            return [];
        var sessions = EngineCache.For(home).Store.Find(new SessionFilter { Last = 200 }).Reverse().ToList();
        return sessions.Select(s => (s.Id, $"{s.Status} {s.Provider}: {s.Prompt}"))
            .Concat(sessions.Where(s => s.Name is not null).Select(s => (s.Name!, $"{s.Id} {s.Status}: {s.Prompt}")));
    }
}
