using System.CommandLine;
using Cluster.Cli.Commands;
using Cluster.Cli.Http;

namespace Cluster.Cli;

/// <summary>The <c>cluster</c> tool's entry point, callable in-process (tests) as well as from <c>Main</c>.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var context = new CliContext(new GlobalOptions(), new CliOutput(output, error));
        var root = BuildRoot(context);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var parseError in parse.Errors) await error.WriteLineAsync($"error: {parseError.Message}");
            await error.WriteLineAsync("Run 'cluster --help' (or the command with --help) for usage.");
            return ExitCodes.Usage;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (UsageException ex)
        {
            return await Fail(error, ex.Message, ExitCodes.Usage);
        }
        catch (GatewayRefusedException ex)
        {
            return await Fail(error, ex.Message, ex.ExitCode);
        }
        catch (GatewayUnreachableException ex)
        {
            return await Fail(error, ex.Message, ExitCodes.Unreachable);
        }
        catch (Grpc.Core.RpcException ex) when (ex.StatusCode == Grpc.Core.StatusCode.Unavailable)
        {
            return await Fail(error, $"cannot reach the gRPC gateway: {ex.Status.Detail}", ExitCodes.Unreachable);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return await Fail(error, "cancelled", ExitCodes.Unexpected);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or IOException or UnauthorizedAccessException)
        {
            return await Fail(error, ex.Message, ExitCodes.Unexpected);
        }
        catch (Exception ex)
        {
            // A bug: the whole exception, so a report can say where, and still the documented code rather than a crash.
            return await Fail(error, ex.ToString(), ExitCodes.Unexpected);
        }
    }

    internal static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand("Manage and load-test a Cluster inference gateway (exit codes: docs/CLI.md).");
        context.Options.AddTo(root);
        root.Subcommands.Add(ModelsCommand.Build(context));
        root.Subcommands.Add(LabelsCommand.Build(context));
        root.Subcommands.Add(TrafficCommand.Build(context));
        root.Subcommands.Add(RolloutCommand.Build(context));
        root.Subcommands.Add(KeysCommand.Build(context));
        root.Subcommands.Add(CapturesCommand.Build(context));
        root.Subcommands.Add(AlertsCommand.Build(context));
        root.Subcommands.Add(LoadtestCommand.Build(context));
        return root;
    }

    private static async Task<int> Fail(TextWriter error, string message, int code)
    {
        await error.WriteLineAsync($"error: {message}");
        return code;
    }
}
