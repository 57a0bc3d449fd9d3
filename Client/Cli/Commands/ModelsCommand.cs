using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json;
using Cluster.Cli.Http;

namespace Cluster.Cli.Commands;

/// <summary><c>cluster models list|show|upload|load|unload|delete</c>.</summary>
internal static class ModelsCommand
{
    public static Command Build(CliContext context)
    {
        var models = new Command("models", "List, inspect, upload, load, unload and delete models and versions");
        models.Subcommands.Add(List(context));
        models.Subcommands.Add(Show(context));
        models.Subcommands.Add(Upload(context));
        models.Subcommands.Add(VersionAction(context, "load", "Load an unloaded or failed version (waits until ready)", HttpMethod.Post, "/load"));
        models.Subcommands.Add(VersionAction(context, "unload", "Unload a version (drains, then frees its sessions)", HttpMethod.Post, "/unload"));
        models.Subcommands.Add(Delete(context));
        return models;
    }

    private static Command List(CliContext context)
    {
        var command = new Command("list", "List models with their versions, labels and default version");
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var gateway = context.Gateway(parse);
            var answer = await gateway.GetAsync("/api/models", cancellationToken);
            context.Print(parse, answer, list => context.Output.Table(
                ["model", "default", "versions", "labels"],
                JsonText.Items(list).Select(model => (IReadOnlyList<string>)
                [
                    JsonText.Field(model, "name"),
                    JsonText.Field(model, "default_version"),
                    string.Join(" ", JsonText.Items(model, "versions").Select(v => $"{JsonText.Field(v, "version")}:{JsonText.Field(v, "status")}")),
                    JsonText.Field(model, "labels"),
                ])));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(CliContext context)
    {
        var model = ModelArgument();
        var command = new Command("show", "Show a model's versions: status, replicas, provider, signature") { model };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var gateway = context.Gateway(parse);
            var answer = await gateway.GetAsync(PathSegments.Model(parse.GetValue(model)!), cancellationToken);
            context.Print(parse, answer, shown =>
            {
                context.Output.Line($"model {JsonText.Field(shown, "name")}, default version {JsonText.Field(shown, "default_version")}, labels {JsonText.Field(shown, "labels")}");
                PrintVersions(context, JsonText.Items(shown, "versions"));
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Upload(CliContext context)
    {
        var model = ModelArgument();
        var version = VersionArgument();
        var file = new Argument<FileInfo>("file") { Description = "The ONNX file" };
        var label = new Option<string?>("--label") { Description = "Point this label at the new version" };
        var command = new Command("upload", "Upload an ONNX file as a new version (answers once it is loaded and warmed up)") { model, version, file, label };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists) throw new UsageException($"no such file: {path.FullName}");
            using var gateway = context.Gateway(parse);
            await using var stream = path.OpenRead();
            using var content = new StreamContent(stream);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            var target = PathSegments.Version(parse.GetValue(model)!, parse.GetValue(version)!);
            if (parse.GetValue(label) is { } name) target += "?label=" + PathSegments.Escape(name);
            var answer = await gateway.SendAsync(HttpMethod.Post, target, content, cancellationToken);
            context.Print(parse, answer, uploaded => PrintVersions(context, [uploaded]));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Delete(CliContext context)
    {
        var model = ModelArgument();
        var version = VersionArgument();
        var force = new Option<bool>("--force") { Description = "Delete even the default version or one a label or weight points at" };
        var command = new Command("delete", "Delete a version") { model, version, force };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var gateway = context.Gateway(parse);
            var target = PathSegments.Version(parse.GetValue(model)!, parse.GetValue(version)!) + (parse.GetValue(force) ? "?force=true" : "");
            await gateway.SendAsync(HttpMethod.Delete, target, null, cancellationToken);
            context.Output.Line($"deleted {parse.GetValue(model)} version {parse.GetValue(version)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command VersionAction(CliContext context, string name, string description, HttpMethod method, string suffix)
    {
        var model = ModelArgument();
        var version = VersionArgument();
        var command = new Command(name, description) { model, version };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var gateway = context.Gateway(parse);
            var answer = await gateway.SendAsync(method, PathSegments.Version(parse.GetValue(model)!, parse.GetValue(version)!) + suffix, null, cancellationToken);
            if (answer is { ValueKind: JsonValueKind.Object } && JsonText.Field(answer.Value, "version").Length > 0 && !context.WantsJson(parse)) PrintVersions(context, [answer.Value]);
            else if (answer is not null) context.Output.Json(answer);
            else context.Output.Line($"{name}: {parse.GetValue(model)} version {parse.GetValue(version)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void PrintVersions(CliContext context, IEnumerable<JsonElement> versions) => context.Output.Table(
        ["version", "status", "replicas", "provider", "inputs", "outputs", "reason"],
        versions.Select(v => (IReadOnlyList<string>)
        [
            JsonText.Field(v, "version"),
            JsonText.Field(v, "status"),
            JsonText.Field(v, "replicas_serving"),
            JsonText.Field(v, "execution_provider"),
            Signature(JsonText.Child(v, "inputs")),
            Signature(JsonText.Child(v, "outputs")),
            JsonText.Field(v, "reason"),
        ]));

    private static string Signature(JsonElement specs) => string.Join(" ", JsonText.Items(specs).Select(spec =>
        $"{JsonText.Field(spec, "name")}:{JsonText.Field(spec, "datatype")}[{JsonText.Field(spec, "shape")}]"));

    internal static Argument<string> ModelArgument() => new("model") { Description = "Model name" };

    internal static Argument<string> VersionArgument() => new("version") { Description = "Version number or label" };
}
