using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cluster.Cli.Http;

namespace Cluster.Cli.Commands;

/// <summary><c>cluster keys create|list|revoke|rotate</c> (admin scope).</summary>
internal static class KeysCommand
{
    private static readonly string[] Columns = ["id", "name", "scopes", "models", "created_at", "revoked_at"];

    public static Command Build(CliContext context) => new("keys", "Manage API keys") { Create(context), List(context), Revoke(context), Rotate(context) };

    private static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "A name for the key's holder" };
        var scopes = new Option<string[]>("--scope")
        {
            Description = "infer, read, capture or admin; repeatable",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        scopes.AcceptOnlyFromAmong("infer", "read", "capture", "admin");
        var models = new Option<string[]>("--model") { Description = "Limit the key to these models; repeatable", AllowMultipleArgumentsPerToken = true };
        var command = new Command("create", "Create a key; its secret is printed once") { name, scopes, models };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var body = new JsonObject
            {
                ["name"] = parse.GetValue(name),
                ["scopes"] = new JsonArray([.. (parse.GetValue(scopes) ?? []).Select(s => (JsonNode?)s)]),
            };
            if (parse.GetValue(models) is { Length: > 0 } limited) body["models"] = new JsonArray([.. limited.Select(m => (JsonNode?)m)]);
            using var gateway = context.Gateway(parse);
            var answer = await gateway.SendJsonAsync(HttpMethod.Post, "/api/keys", body.ToJsonString(), cancellationToken);
            context.Print(parse, answer, key => PrintWithSecret(context, key));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var command = new Command("list", "List keys (never their secrets)");
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var gateway = context.Gateway(parse);
            var answer = await gateway.GetAsync("/api/keys", cancellationToken);
            context.Print(parse, answer, keys => context.Output.Table(Columns,
                JsonText.Items(keys, "keys").Select(k => (IReadOnlyList<string>)[.. Columns.Select(c => JsonText.Field(k, c))])));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Revoke(CliContext context)
    {
        var id = IdArgument();
        var command = new Command("revoke", "Revoke a key (stops working within 2 s on every gateway)") { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var gateway = context.Gateway(parse);
            var answer = await gateway.SendAsync(HttpMethod.Delete, "/api/keys/" + PathSegments.Escape(parse.GetValue(id)!), null, cancellationToken);
            if (context.WantsJson(parse)) context.Output.Json(answer);
            else context.Output.Line($"revoked key {parse.GetValue(id)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Rotate(CliContext context)
    {
        var id = IdArgument();
        var command = new Command("rotate", "Give a key a new secret (printed once); the old one stops working") { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var gateway = context.Gateway(parse);
            var answer = await gateway.PostAsync("/api/keys/" + PathSegments.Escape(parse.GetValue(id)!) + "/rotate", cancellationToken);
            context.Print(parse, answer, key => PrintWithSecret(context, key));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void PrintWithSecret(CliContext context, JsonElement key)
    {
        context.Output.Table(Columns, [[.. Columns.Select(c => JsonText.Field(key, c))]]);
        context.Output.Line($"key: {JsonText.Field(key, "key")}");
        context.Output.Error.WriteLine("The key is shown only now; store it.");
    }

    private static Argument<string> IdArgument() => new("id") { Description = "Key id (from keys list)" };
}
