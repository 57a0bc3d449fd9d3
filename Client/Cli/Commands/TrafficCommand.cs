using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cluster.Cli.Http;

namespace Cluster.Cli.Commands;

/// <summary><c>cluster traffic show|set</c>: a model's A/B weights, shadows and stickiness.</summary>
internal static class TrafficCommand
{
    public static Command Build(CliContext context) => new("traffic", "Show or set a model's traffic split") { Show(context), Set(context) };

    private static Command Show(CliContext context)
    {
        var model = ModelsCommand.ModelArgument();
        var command = new Command("show", "Show weights, shadows, stickiness and any rollout holding the split") { model };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var gateway = context.Gateway(parse);
            var answer = await gateway.GetAsync(PathSegments.Model(parse.GetValue(model)!) + "/traffic", cancellationToken);
            context.Print(parse, answer, traffic => PrintTraffic(context, traffic));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Set(CliContext context)
    {
        var model = ModelsCommand.ModelArgument();
        var weights = new Option<string[]>("--weight")
        {
            Description = "VERSION=WEIGHT, repeatable (e.g. --weight 1=90 --weight canary=10); none removes the split",
            AllowMultipleArgumentsPerToken = true,
        };
        var shadows = new Option<string[]>("--shadow") { Description = "VERSION=FRACTION mirrored to a shadow version, repeatable" };
        var noSticky = new Option<bool>("--no-sticky") { Description = "Do not keep routing keys on one version" };
        var command = new Command("set", "Replace a model's traffic policy") { model, weights, shadows, noSticky };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var body = new JsonObject
            {
                ["weights"] = Pairs(parse.GetValue(weights) ?? [], "--weight"),
                ["shadows"] = new JsonArray([.. Pairs(parse.GetValue(shadows) ?? [], "--shadow")
                    .Select(p => (JsonNode)new JsonObject { ["version"] = p.Key, ["fraction"] = p.Value!.GetValue<double>() })]),
                ["sticky"] = !parse.GetValue(noSticky),
            };
            using var gateway = context.Gateway(parse);
            var answer = await gateway.SendJsonAsync(HttpMethod.Put, PathSegments.Model(parse.GetValue(model)!) + "/traffic", body.ToJsonString(), cancellationToken);
            context.Print(parse, answer, traffic => PrintTraffic(context, traffic));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static JsonObject Pairs(IEnumerable<string> values, string option)
    {
        var pairs = new JsonObject();
        foreach (var value in values)
        {
            var parts = value.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                throw new UsageException($"{option} takes VERSION=NUMBER, not '{value}'");
            }
            pairs[parts[0]] = number;
        }
        return pairs;
    }

    private static void PrintTraffic(CliContext context, JsonElement traffic)
    {
        context.Output.Line($"model {JsonText.Field(traffic, "model")}, default version {JsonText.Field(traffic, "default_version")}, sticky {JsonText.Field(traffic, "sticky")}"
            + (JsonText.Field(traffic, "rollout") is { Length: > 0 } rollout ? $", held by rollout {rollout}" : ""));
        var rows = JsonText.Child(traffic, "weights") is { ValueKind: JsonValueKind.Object } weights
            ? weights.EnumerateObject().Select(w => (IReadOnlyList<string>)["weight", w.Name, JsonText.Cell(w.Value)])
            : [];
        var shadows = JsonText.Items(traffic, "shadows").Select(s => (IReadOnlyList<string>)["shadow", JsonText.Field(s, "version"), JsonText.Field(s, "fraction")]);
        context.Output.Table(["kind", "version", "value"], rows.Concat(shadows));
    }
}
