using Climux.Core.Sessions;

namespace Climux.Core.Agents;

/// <summary>One thing the agent said or did, before it is numbered and stored.</summary>
public sealed record TranscriptEntry(SessionEventKind Kind, string? Role = null, string? Tool = null, string? Text = null, string? Data = null);
