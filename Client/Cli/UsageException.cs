namespace Cluster.Cli;

/// <summary>A command line that parsed but cannot be acted on (a malformed value, a missing file).</summary>
public sealed class UsageException(string message) : Exception(message);
