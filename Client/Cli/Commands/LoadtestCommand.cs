using System.CommandLine;
using System.Globalization;
using Cluster.Cli.Http;
using Cluster.Cli.Loadtest;
using Spectre.Console;

namespace Cluster.Cli.Commands;

/// <summary><c>cluster loadtest M</c>: a concurrency sweep or an open-loop rate against one model, in the spirit of Triton's perf_analyzer.</summary>
internal static class LoadtestCommand
{
    public static Command Build(CliContext context)
    {
        var model = ModelsCommand.ModelArgument();
        var version = new Option<string?>("--version") { Description = "Send to this version or label (default: the model's routing)" };
        var concurrency = new Option<string>("--concurrency") { Description = "Closed-loop callers, a comma-separated sweep (e.g. 1,4,16)", DefaultValueFactory = _ => "1" };
        var rate = new Option<string?>("--rate") { Description = "Open loop: requests per second (a comma-separated sweep); replaces --concurrency" };
        var duration = new Option<double>("--duration") { Description = "Seconds per level", DefaultValueFactory = _ => 10 };
        var protocol = new Option<string>("--protocol") { Description = "json, binary (the binary tensor extension) or grpc", DefaultValueFactory = _ => "json" };
        protocol.AcceptOnlyFromAmong("json", "binary", "grpc");
        var shapes = new Option<string[]>("--shape") { Description = "NAME:D0,D1,... for an input's dynamic dimensions (default 1); repeatable" };
        var input = new Option<FileInfo?>("--input") { Description = "A v2 JSON request whose inputs are sent instead of generated ones" };
        var format = new Option<string>("--output") { Description = "table, csv or markdown", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "markdown");
        var maxP99 = new Option<double?>("--max-p99") { Description = "Fail (exit 7) when a level's p99 exceeds this many milliseconds" };
        var maxFailures = new Option<long?>("--max-failures") { Description = "Fail (exit 7) when a level has more failed requests" };
        var noServerStats = new Option<bool>("--no-server-stats") { Description = "Skip reading the server's queue/compute split" };
        var command = new Command("loadtest", "Measure throughput and latency of a model (exit 7 when a threshold is broken)")
        {
            model, version, concurrency, rate, duration, protocol, shapes, input, format, maxP99, maxFailures, noServerStats,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var levels = Levels(parse.GetValue(concurrency)!, parse.GetValue(rate));
            var seconds = parse.GetValue(duration);
            if (seconds is <= 0 or > 86400) throw new UsageException("--duration must be between 0 and 86400 seconds");
            var name = parse.GetValue(model)!;
            var pinned = parse.GetValue(version);
            using var gateway = context.Gateway(parse);
            var inputs = parse.GetValue(input) is { } file
                ? FileInputs.Read(file.FullName)
                : SignatureInputs.Create(
                    (await gateway.GetAsync("/v2/models/" + PathSegments.Escape(name) + (pinned is null ? "" : "/versions/" + PathSegments.Escape(pinned)), cancellationToken))!.Value,
                    new Dictionary<string, long[]>((parse.GetValue(shapes) ?? []).Select(SignatureInputs.ParseShape)));
            await using var sender = Sender(context, parse, parse.GetValue(protocol)!, gateway, name, pinned, inputs);
            await Warmup.SendAsync(sender, name, cancellationToken);
            var settings = new Sweep(gateway, name, pinned, TimeSpan.FromSeconds(seconds), !parse.GetValue(noServerStats));
            var results = context.Output.IsTerminal && !context.WantsJson(parse)
                ? await RunWithProgressBarAsync(context, sender, levels, settings, cancellationToken)
                : await RunPlainAsync(context, sender, levels, settings, cancellationToken);
            LoadReport.Write(context.Output, context.WantsJson(parse) ? "json" : parse.GetValue(format)!, results);
            return Verdict(context, results, parse.GetValue(maxP99), parse.GetValue(maxFailures));
        });
        return command;
    }

    private sealed record Sweep(Gateway Gateway, string Model, string? Version, TimeSpan Duration, bool ServerStats);

    private static IInferenceSender Sender(CliContext context, ParseResult parse, string protocol, Gateway gateway, string model, string? version, IReadOnlyList<InputTensor> inputs) => protocol switch
    {
        "grpc" => new GrpcSender(GrpcUrl(parse.GetValue(context.Options.GrpcUrl)!), gateway.ApiKey, model, version, inputs),
        "binary" => HttpSender.Binary(gateway.Http, InferPath.For(model, version), inputs),
        _ => HttpSender.Json(gateway.Http, InferPath.For(model, version), inputs),
    };

    private static Uri GrpcUrl(string text) => Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        ? uri
        : throw new UsageException($"--grpc-url must be an absolute http(s) URL, not '{text}'");

    private static async Task<IReadOnlyList<LevelResult>> RunPlainAsync(CliContext context, IInferenceSender sender, IReadOnlyList<LoadLevel> levels, Sweep sweep, CancellationToken cancellationToken)
    {
        var results = new List<LevelResult>();
        foreach (var level in levels)
        {
            var result = await RunLevelAsync(sender, level, sweep, (_, _) => { }, cancellationToken);
            // Progress goes to the error stream so that redirected CSV or Markdown stays clean.
            await context.Output.Error.WriteLineAsync($"{level}: {result.Requests} requests, {result.Failures} failures, {result.ThroughputPerSecond.ToString("0.#", CultureInfo.InvariantCulture)}/s");
            results.Add(result);
        }
        return results;
    }

    private static async Task<IReadOnlyList<LevelResult>> RunWithProgressBarAsync(CliContext context, IInferenceSender sender, IReadOnlyList<LoadLevel> levels, Sweep sweep, CancellationToken cancellationToken)
    {
        var results = new List<LevelResult>();
        await context.Output.Console.Progress().AutoClear(false).StartAsync(async progress =>
        {
            foreach (var level in levels)
            {
                var bar = progress.AddTask(level.ToString(), maxValue: 1);
                var result = await RunLevelAsync(sender, level, sweep, (done, recorder) =>
                {
                    bar.Value = done;
                    bar.Description = $"{level}: {recorder.Successes} ok, {recorder.Failures} failed";
                }, cancellationToken);
                bar.Description = $"{level}: {result.Requests} requests, {result.ThroughputPerSecond.ToString("0.#", CultureInfo.InvariantCulture)}/s";
                results.Add(result);
            }
        });
        return results;
    }

    private static async Task<LevelResult> RunLevelAsync(IInferenceSender sender, LoadLevel level, Sweep sweep, Action<double, LatencyRecorder> progress, CancellationToken cancellationToken)
    {
        var before = sweep.ServerStats ? await ServerStats.ReadAsync(sweep.Gateway, sweep.Model, sweep.Version, cancellationToken) : null;
        var (recorder, seconds) = await LoadRunner.RunAsync(sender, level, sweep.Duration, progress, cancellationToken);
        var after = before is null ? null : await ServerStats.ReadSettledAsync(sweep.Gateway, sweep.Model, sweep.Version, before, recorder.Successes, cancellationToken);
        var (queueMs, computeMs) = after is null || before is null ? (null, null) : after.MeanSince(before);
        var percentile = recorder.Percentiles();
        return new LevelResult(level, recorder.Successes + recorder.Failures, recorder.Failures, seconds, recorder.Successes / seconds,
            percentile(0.50), percentile(0.90), percentile(0.99), queueMs, computeMs, recorder.FirstError);
    }

    private static int Verdict(CliContext context, IReadOnlyList<LevelResult> results, double? maxP99, long? maxFailures)
    {
        var broken = new List<string>();
        foreach (var r in results)
        {
            if (maxP99 is { } p99 && r.P99Ms > p99) broken.Add($"{r.Level}: p99 {r.P99Ms.ToString("0.###", CultureInfo.InvariantCulture)} ms > --max-p99 {p99.ToString(CultureInfo.InvariantCulture)}");
            if (maxFailures is { } failures && r.Failures > failures) broken.Add($"{r.Level}: {r.Failures} failures > --max-failures {failures}");
            if (maxP99 is not null && r.Requests == r.Failures) broken.Add($"{r.Level}: no request succeeded, so there is no p99 to check");
        }
        foreach (var line in broken) context.Output.Error.WriteLine("threshold exceeded: " + line);
        return broken.Count > 0 ? ExitCodes.ThresholdExceeded : ExitCodes.Ok;
    }

    private static IReadOnlyList<LoadLevel> Levels(string concurrency, string? rate)
    {
        var openLoop = rate is not null;
        var text = rate ?? concurrency;
        var levels = new List<LoadLevel>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0 || (!openLoop && (value != Math.Floor(value) || value > 10_000)))
            {
                throw new UsageException(openLoop ? $"--rate takes positive numbers, not '{part}'" : $"--concurrency takes whole numbers from 1 to 10000, not '{part}'");
            }
            levels.Add(new LoadLevel(openLoop, value));
        }
        return levels.Count > 0 ? levels : throw new UsageException(openLoop ? "--rate is empty" : "--concurrency is empty");
    }
}
