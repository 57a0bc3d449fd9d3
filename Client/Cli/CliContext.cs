using System.CommandLine;
using Cluster.Cli.Http;

namespace Cluster.Cli;

/// <summary>What every command's action needs: the shared options and the output.</summary>
internal sealed class CliContext(GlobalOptions options, CliOutput output)
{
    public GlobalOptions Options { get; } = options;

    public CliOutput Output { get; } = output;

    public Gateway Gateway(ParseResult parse) => Http.Gateway.Create(parse.GetValue(Options.Url)!, parse.GetValue(Options.ApiKey));

    public bool WantsJson(ParseResult parse) => parse.GetValue(Options.Json);

    /// <summary>Prints the answer as JSON under --json, else through <paramref name="table"/>.</summary>
    public void Print(ParseResult parse, System.Text.Json.JsonElement? answer, Action<System.Text.Json.JsonElement> table)
    {
        if (WantsJson(parse) || answer is null) Output.Json(answer);
        else table(answer.Value);
    }
}
