extern alias cli;
using cli::Cluster.Cli;

namespace Cluster.Tests.Cli;

/// <summary>One call of the <c>cluster</c> tool, in-process: its exit code and what it wrote to each stream.</summary>
public sealed record ToolRun(int ExitCode, string Out, string Error)
{
    public static async Task<ToolRun> Of(IEnumerable<string> connection, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync([.. args, .. connection], output, error, TestContext.Current.CancellationToken);
        return new ToolRun(code, output.ToString(), error.ToString());
    }

    public override string ToString() => $"exit {ExitCode}\n--- out\n{Out}\n--- err\n{Error}";
}
