using System.CommandLine;
using Cluster.Cli.Http;

namespace Cluster.Cli.Commands;

/// <summary><c>cluster captures export M</c>: captured predictions as NDJSON, streamed to stdout or a file.</summary>
internal static class CapturesCommand
{
    public static Command Build(CliContext context)
    {
        var model = ModelsCommand.ModelArgument();
        var version = new Option<string?>("--version") { Description = "Only this version" };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Records completed at or after (ISO 8601)" };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Records completed before (ISO 8601)" };
        var limit = new Option<int?>("--limit") { Description = "At most this many records (server default 1000)" };
        var output = new Option<FileInfo?>("--out") { Description = "Write to this file instead of standard output" };
        var export = new Command("export", "Export captured requests and answers as NDJSON (capture scope)") { model, version, from, to, limit, output };
        export.SetAction(async (parse, cancellationToken) =>
        {
            var query = new List<string>();
            if (parse.GetValue(version) is { } v) query.Add("version=" + PathSegments.Escape(v));
            if (parse.GetValue(from) is { } f) query.Add("from=" + PathSegments.Escape(f.ToString("O")));
            if (parse.GetValue(to) is { } t) query.Add("to=" + PathSegments.Escape(t.ToString("O")));
            if (parse.GetValue(limit) is { } l) query.Add("limit=" + l.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var path = PathSegments.Model(parse.GetValue(model)!) + "/captures" + (query.Count > 0 ? "?" + string.Join("&", query) : "");
            using var gateway = context.Gateway(parse);
            if (parse.GetValue(output) is { } file)
            {
                await using var stream = file.Create();
                await gateway.CopyToAsync(path, stream, cancellationToken);
                return ExitCodes.Ok;
            }
            await gateway.CopyToAsync(path, context.Output.Out, cancellationToken);
            return ExitCodes.Ok;
        });
        return new Command("captures", "Captured predictions") { export };
    }
}
