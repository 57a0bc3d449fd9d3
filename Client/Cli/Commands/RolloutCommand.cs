using System.CommandLine;
using System.Text.Json;
using Cluster.Cli.Http;

namespace Cluster.Cli.Commands;

/// <summary><c>cluster rollout start|status|pause|resume|abort</c>: canary rollouts, with <c>--wait</c> for CI.</summary>
internal static class RolloutCommand
{
    private static readonly string[] FinalStates = ["promoted", "rolled_back", "aborted"];

    public static Command Build(CliContext context)
    {
        var rollout = new Command("rollout", "Start and control canary rollouts") { Start(context), Status(context) };
        foreach (var (name, description) in new[] { ("pause", "Hold the rollout at its current step"), ("resume", "Continue a paused rollout"), ("abort", "Stop the rollout: all traffic back to the baseline") })
        {
            rollout.Subcommands.Add(Control(context, name, description));
        }
        return rollout;
    }

    private static Command Start(CliContext context)
    {
        var model = ModelsCommand.ModelArgument();
        var plan = new Option<FileInfo>("--plan") { Description = "JSON rollout plan (docs/API.md, Rollouts)", Required = true };
        var wait = WaitOption();
        var interval = IntervalOption();
        var command = new Command("start", "Start a rollout from a plan file") { model, plan, wait, interval };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetValue(plan)!;
            if (!file.Exists) throw new UsageException($"no such file: {file.FullName}");
            using var gateway = context.Gateway(parse);
            var path = PathSegments.Model(parse.GetValue(model)!) + "/rollouts";
            var started = await gateway.SendJsonAsync(HttpMethod.Post, path, await File.ReadAllTextAsync(file.FullName, cancellationToken), cancellationToken);
            if (!parse.GetValue(wait))
            {
                context.Print(parse, started, r => PrintRollout(context, r));
                return ExitCodes.Ok;
            }
            return await WaitAsync(context, parse, gateway, path + "/current", parse.GetValue(interval), cancellationToken);
        });
        return command;
    }

    private static Command Status(CliContext context)
    {
        var model = ModelsCommand.ModelArgument();
        var wait = WaitOption();
        var interval = IntervalOption();
        var command = new Command("status", "Show the active (else the last) rollout, its figures and history") { model, wait, interval };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var gateway = context.Gateway(parse);
            var path = PathSegments.Model(parse.GetValue(model)!) + "/rollouts/current";
            if (parse.GetValue(wait)) return await WaitAsync(context, parse, gateway, path, parse.GetValue(interval), cancellationToken);
            var answer = await gateway.GetAsync(path, cancellationToken);
            context.Print(parse, answer, r => PrintRollout(context, r));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Control(CliContext context, string name, string description)
    {
        var model = ModelsCommand.ModelArgument();
        var command = new Command(name, description) { model };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var gateway = context.Gateway(parse);
            var answer = await gateway.PostAsync(PathSegments.Model(parse.GetValue(model)!) + "/rollouts/current/" + name, cancellationToken);
            context.Print(parse, answer, r => PrintRollout(context, r));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Polls until the rollout is promoted (0), or rolled back or aborted (<see cref="ExitCodes.RolledBack"/>), printing each new transition.</summary>
    private static async Task<int> WaitAsync(CliContext context, ParseResult parse, Gateway gateway, string path, double intervalSeconds, CancellationToken cancellationToken)
    {
        var printed = 0;
        while (true)
        {
            var rollout = (await gateway.GetAsync(path, cancellationToken))!.Value;
            var history = JsonText.Items(rollout, "history").ToArray();
            for (; printed < history.Length; printed++)
            {
                var t = history[printed];
                await context.Output.Error.WriteLineAsync($"{JsonText.Field(t, "at")} {JsonText.Field(t, "event")} step {JsonText.Field(t, "step")} weight {JsonText.Field(t, "target_weight")}: {JsonText.Field(t, "reason")}");
            }
            var state = JsonText.Field(rollout, "state");
            if (FinalStates.Contains(state))
            {
                context.Print(parse, rollout, r => PrintRollout(context, r));
                return state == "promoted" ? ExitCodes.Ok : ExitCodes.RolledBack;
            }
            await Task.Delay(TimeSpan.FromSeconds(intervalSeconds), cancellationToken);
        }
    }

    private static void PrintRollout(CliContext context, JsonElement rollout)
    {
        context.Output.Line($"rollout {JsonText.Field(rollout, "id")} of {JsonText.Field(rollout, "model")}: {JsonText.Field(rollout, "state")}, "
            + $"target {JsonText.Field(rollout, "target_version")} at {JsonText.Field(rollout, "target_weight")}% (step {JsonText.Field(rollout, "step")}), baseline {JsonText.Field(rollout, "baseline_version")}");
        if (JsonText.Child(rollout, "figures") is { ValueKind: JsonValueKind.Object } figures) context.Output.Line($"figures: {JsonText.Cell(figures)}");
        context.Output.Table(["at", "event", "step", "weight", "reason"], JsonText.Items(rollout, "history").Select(t => (IReadOnlyList<string>)
            [JsonText.Field(t, "at"), JsonText.Field(t, "event"), JsonText.Field(t, "step"), JsonText.Field(t, "target_weight"), JsonText.Field(t, "reason")]));
    }

    private static Option<bool> WaitOption() => new("--wait") { Description = "Wait until the rollout ends; exit 6 when it rolled back or was aborted" };

    private static Option<double> IntervalOption() => new("--poll-seconds") { Description = "How often --wait polls", DefaultValueFactory = _ => 2 };
}
