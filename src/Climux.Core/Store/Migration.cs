namespace Climux.Core.Store;

/// <summary>One step of the schema: applied once, in order, inside the migrating transaction.</summary>
public sealed record Migration(int Version, string Description, string Sql);
