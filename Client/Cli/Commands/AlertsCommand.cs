using System.CommandLine;

namespace Cluster.Cli.Commands;

/// <summary><c>cluster alerts list</c>: active alerts first, then recently cleared ones.</summary>
internal static class AlertsCommand
{
    private static readonly string[] Columns = ["model", "version", "kind", "active", "value", "threshold", "raised_at", "cleared_at"];

    public static Command Build(CliContext context)
    {
        var list = new Command("list", "List alerts (drift, p99 latency, error rate)");
        list.SetAction(async (parse, cancellationToken) =>
        {
            using var gateway = context.Gateway(parse);
            var answer = await gateway.GetAsync("/api/alerts", cancellationToken);
            context.Print(parse, answer, alerts => context.Output.Table(Columns,
                JsonText.Items(alerts, "alerts").Select(a => (IReadOnlyList<string>)[.. Columns.Select(c => JsonText.Field(a, c))])));
            return ExitCodes.Ok;
        });
        return new Command("alerts", "Model alerts") { list };
    }
}
