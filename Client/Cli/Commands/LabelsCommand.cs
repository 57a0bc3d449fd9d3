using System.CommandLine;
using System.Text.Json;
using Cluster.Cli.Http;

namespace Cluster.Cli.Commands;

/// <summary><c>cluster labels set M LABEL VERSION</c>.</summary>
internal static class LabelsCommand
{
    public static Command Build(CliContext context)
    {
        var model = ModelsCommand.ModelArgument();
        var label = new Argument<string>("label") { Description = "Label name (e.g. stable, canary)" };
        var version = ModelsCommand.VersionArgument();
        var set = new Command("set", "Create or move a label to a version") { model, label, version };
        set.SetAction(async (parse, cancellationToken) =>
        {
            using var gateway = context.Gateway(parse);
            var body = JsonSerializer.Serialize(new Dictionary<string, string> { ["version"] = parse.GetValue(version)! });
            var path = PathSegments.Model(parse.GetValue(model)!) + "/labels/" + PathSegments.Escape(parse.GetValue(label)!);
            var answer = await gateway.SendJsonAsync(HttpMethod.Put, path, body, cancellationToken);
            if (context.WantsJson(parse)) context.Output.Json(answer);
            else context.Output.Line($"{parse.GetValue(model)}: label {parse.GetValue(label)} -> version {parse.GetValue(version)}");
            return ExitCodes.Ok;
        });
        return new Command("labels", "Name versions") { set };
    }
}
