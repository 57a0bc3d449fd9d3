namespace Cluster.Cli;

/// <summary>The process exit codes, stable so CI pipelines can branch on them (docs/CLI.md lists them).</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Something the tool did not expect (a bug, or an answer it cannot read).</summary>
    public const int Unexpected = 1;

    /// <summary>The command line is wrong: unknown command or option, missing argument, unreadable file.</summary>
    public const int Usage = 2;

    /// <summary>The gateway refused the request with a 4xx (bad key, missing scope, unknown model, conflict).</summary>
    public const int Refused = 3;

    /// <summary>The gateway answered with a 5xx (model failed to load, inference failed).</summary>
    public const int ServerError = 4;

    /// <summary>No answer: nothing listens at the URL, the connection broke or timed out.</summary>
    public const int Unreachable = 5;

    /// <summary><c>rollout start --wait</c> (or <c>rollout status --wait</c>) ended rolled back or aborted.</summary>
    public const int RolledBack = 6;

    /// <summary><c>loadtest</c> broke <c>--max-p99</c> or <c>--max-failures</c>.</summary>
    public const int ThresholdExceeded = 7;
}
