namespace Cluster.Silo.Hosting;

/// <summary>
/// .NET sizes its young generation by the processor's cache. Where it cannot read the cache sizes (many VMs hide them from
/// <c>/sys</c>), it falls back to a small budget, and a busy silo collected after every ~2 MB of allocation: 10 % of a one-core silo's time
/// went to those pauses serving the built-in model (docs/BENCHMARKS.md). <c>DOTNET_GCgen0size</c> sets a floor, and only the
/// environment can set it (runtimeconfig.json cannot), so deploy/Dockerfile and <c>dotnet run</c> set it, and a silo started
/// without it on such a machine says so once.
/// </summary>
internal static partial class YoungGenerationCheck
{
    /// <summary>The floor the silo is launched with: 32 MiB, a common L3 size, by which .NET sizes gen 0 where it can see the cache.</summary>
    public const string Floor = "0x2000000";

    public const string Variable = "DOTNET_GCgen0size";

    private const string CacheInfo = "/sys/devices/system/cpu/cpu0/cache/index0";

    public static void Report(ILogger logger)
    {
        var setting = Environment.GetEnvironmentVariable(Variable) ?? Environment.GetEnvironmentVariable("COMPlus_GCgen0size");
        var cacheHidden = OperatingSystem.IsLinux() && !Directory.Exists(CacheInfo);
        if (Advice(setting, cacheHidden) is { } advice) LogHidden(logger, advice);
        else if (setting is not null) LogFloor(logger, setting);
    }

    /// <summary>What to tell an operator, or null when the runtime's own choice or the configured floor stands.</summary>
    public static string? Advice(string? setting, bool cacheHidden) =>
        setting is null && cacheHidden
            ? $".NET cannot read this machine's cache sizes ({CacheInfo} is missing), so it collects its young generation after every " +
              $"~2 MB of allocation; start the silo with {Variable}={Floor} (deploy/Dockerfile and `dotnet run` do)."
            : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Advice}")]
    private static partial void LogHidden(ILogger logger, string advice);

    [LoggerMessage(Level = LogLevel.Information, Message = "Young generation floor {Setting} bytes (DOTNET_GCgen0size)")]
    private static partial void LogFloor(ILogger logger, string setting);
}
