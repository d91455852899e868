namespace Climux.Core.Sessions;

/// <summary>Another session is active in the folder a run needs to itself.</summary>
public sealed class DirectoryBusyException(string directory, string sessionId)
    : Exception($"Session {sessionId} is already active in '{directory}' (one task per worktree). Wait for it or stop it, or use -Force to run beside it.")
{
    public string Directory { get; } = directory;
    public string SessionId { get; } = sessionId;
}

/// <summary>No session, or more than one, answers to a reference.</summary>
public sealed class SessionNotFoundException(string reference, string message) : Exception(message)
{
    public string Reference { get; } = reference;
}
