extern alias cli;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Cluster.Modeling;
using Cluster.Tests.Support;
using Shouldly;
using ExitCodes = cli::Cluster.Cli.ExitCodes;

namespace Cluster.Tests.Cli;

/// <summary>The <c>cluster</c> tool against a real in-process silo that requires API keys.</summary>
[Collection(KeyedSiloCollection.Name)]
public sealed class CliTests(CliSiloFixture silo)
{
    [Fact]
    public async Task ModelsListAndShowDescribeTheDemoModel()
    {
        var list = await Tool("models", "list");
        list.ExitCode.ShouldBe(ExitCodes.Ok, list.ToString());
        list.Out.ShouldContain(DemoMlp.Name);
        list.Out.ShouldContain("1:ready");

        var show = await Tool("models", "show", DemoMlp.Name);
        show.ExitCode.ShouldBe(ExitCodes.Ok, show.ToString());
        show.Out.ShouldContain("x:FP32[-1,4]");
        show.Out.ShouldContain("probabilities:FP32[-1,3]");

        var json = await Tool("models", "list", "--json");
        using var parsed = JsonDocument.Parse(json.Out);
        parsed.RootElement.EnumerateArray().ShouldContain(m => m.GetProperty("name").GetString() == DemoMlp.Name);
    }

    [Fact]
    public async Task UploadedVersionIsLabelledServedUnloadedReloadedAndDeleted()
    {
        var model = "cli-" + Guid.NewGuid().ToString("N")[..8];
        var file = Path.Combine(Path.GetTempPath(), model + ".onnx");
        await File.WriteAllBytesAsync(file, DemoMlp.Build(), TestContext.Current.CancellationToken);
        try
        {
            var upload = await Tool("models", "upload", model, "1", file, "--label", "stable");
            upload.ExitCode.ShouldBe(ExitCodes.Ok, upload.ToString());
            upload.Out.ShouldContain("ready");

            var infer = await Tool("loadtest", model, "--version", "stable", "--duration", "0.3", "--output", "csv", "--no-server-stats", "--max-failures", "0");
            infer.ExitCode.ShouldBe(ExitCodes.Ok, infer.ToString());
            Csv(infer.Out).Single()["requests"].ShouldBeGreaterThan(0);

            (await Tool("models", "unload", model, "1")).ExitCode.ShouldBe(ExitCodes.Ok);
            (await Tool("models", "show", model)).Out.ShouldContain("unloaded");
            var load = await Tool("models", "load", model, "1");
            load.ExitCode.ShouldBe(ExitCodes.Ok, load.ToString());
            (await Tool("models", "show", model)).Out.ShouldContain("ready");

            var delete = await Tool("models", "delete", model, "1", "--force");
            delete.ExitCode.ShouldBe(ExitCodes.Ok, delete.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task RefusedCallsExitWithTheirOwnCodesAndSayWhy()
    {
        var badKey = await ToolRun.Of(["--url", silo.Url, "--api-key", "ck_nobody_nothing"], "models", "list");
        badKey.ExitCode.ShouldBe(ExitCodes.Refused, badKey.ToString());
        badKey.Error.ShouldContain("401");

        var unknown = await Tool("models", "show", "no-such-model");
        unknown.ExitCode.ShouldBe(ExitCodes.Refused, unknown.ToString());
        unknown.Error.ShouldContain("404");
        unknown.Error.ShouldContain("no-such-model");

        var unreachable = await ToolRun.Of(["--url", $"http://127.0.0.1:{FreePorts.Next()}"], "models", "list");
        unreachable.ExitCode.ShouldBe(ExitCodes.Unreachable, unreachable.ToString());
        unreachable.Error.ShouldContain("cannot reach");

        var usage = await Tool("models", "list", "--no-such-option");
        usage.ExitCode.ShouldBe(ExitCodes.Usage, usage.ToString());
        (await Tool("loadtest", DemoMlp.Name, "--concurrency", "two")).ExitCode.ShouldBe(ExitCodes.Usage);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("binary")]
    [InlineData("grpc")]
    public async Task LoadtestSendsRequestsOverEachProtocolWithoutFailures(string protocol)
    {
        var run = await Tool("loadtest", DemoMlp.Name, "--protocol", protocol, "--concurrency", "1,2", "--duration", "0.7", "--output", "csv", "--max-failures", "0");
        run.ExitCode.ShouldBe(ExitCodes.Ok, run.ToString());
        var rows = Csv(run.Out);
        rows.Select(r => r["level"]).ShouldBe([1.0, 2.0]);
        rows.ShouldAllBe(r => r["requests"] > 0 && r["failures"] == 0 && r["p99_ms"] > 0 && r["throughput_per_s"] > 0);
        // The server counted what was sent: its queue/compute split is there.
        rows.ShouldAllBe(r => r.ContainsKey("server_compute_ms"));
    }

    [Theory]
    [InlineData("identity-bool", "grpc")]
    [InlineData("identity-int8", "json")]
    [InlineData("identity-fp16", "binary")]
    [InlineData("identity-uint64", "grpc")]
    [InlineData("strings", "json")]
    [InlineData("strings", "binary")]
    [InlineData("strings", "grpc")]
    public async Task LoadtestGeneratesInputsEveryDatatypeAndProtocolAccept(string model, string protocol)
    {
        var run = await Tool("loadtest", model, "--protocol", protocol, "--duration", "0.2", "--output", "csv", "--no-server-stats", "--max-failures", "0");
        run.ExitCode.ShouldBe(ExitCodes.Ok, run.ToString());
        Csv(run.Out).Single()["requests"].ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task LoadtestRefusedInputEndsAtTheWarmupWithTheGatewaysMessage()
    {
        var input = Path.Combine(Path.GetTempPath(), "cli-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(input, """{"inputs": [{"name": "x", "datatype": "INT32", "shape": [1, 4], "data": [[1, 2, 3, 4]]}]}""", TestContext.Current.CancellationToken);
        try
        {
            var run = await Tool("loadtest", DemoMlp.Name, "--input", input, "--protocol", "grpc", "--duration", "0.2");
            run.ExitCode.ShouldBe(ExitCodes.Refused, run.ToString());
            run.Error.ShouldContain("400");
            run.Error.ShouldContain("INT32");
            run.Out.ShouldBeEmpty();
        }
        finally
        {
            File.Delete(input);
        }
    }

    [Fact]
    public async Task LoadtestBreakingMaxP99ExitsWithTheThresholdCode()
    {
        var run = await Tool("loadtest", DemoMlp.Name, "--duration", "0.3", "--max-p99", "0.001", "--no-server-stats");
        run.ExitCode.ShouldBe(ExitCodes.ThresholdExceeded, run.ToString());
        run.Error.ShouldContain("--max-p99");
    }

    [Fact]
    public async Task LoadtestOpenLoopPrintsMarkdownAndJson()
    {
        var run = await Tool("loadtest", DemoMlp.Name, "--rate", "50", "--duration", "0.5", "--output", "markdown", "--no-server-stats");
        run.ExitCode.ShouldBe(ExitCodes.Ok, run.ToString());
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith("| mode | level | requests |");
        lines[2].ShouldStartWith("| rate | 50 | ");

        var json = await Tool("loadtest", DemoMlp.Name, "--rate", "50", "--duration", "0.2", "--json", "--no-server-stats");
        using var levels = JsonDocument.Parse(json.Out);
        levels.RootElement[0].GetProperty("mode").GetString().ShouldBe("rate");
        levels.RootElement[0].GetProperty("requests").GetDouble().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task KeysAreCreatedListedRotatedAndRevoked()
    {
        var name = "ci-" + Guid.NewGuid().ToString("N")[..8];
        var created = await Tool("keys", "create", name, "--scope", "read", "--json");
        created.ExitCode.ShouldBe(ExitCodes.Ok, created.ToString());
        using var key = JsonDocument.Parse(created.Out);
        var id = key.RootElement.GetProperty("id").GetString()!;
        var secret = key.RootElement.GetProperty("key").GetString()!;

        (await ToolRun.Of(["--url", silo.Url, "--api-key", secret], "models", "list")).ExitCode.ShouldBe(ExitCodes.Ok);
        (await ToolRun.Of(["--url", silo.Url, "--api-key", secret], "keys", "list")).ExitCode.ShouldBe(ExitCodes.Refused);
        (await Tool("keys", "list")).Out.ShouldContain(name);

        var rotated = await Tool("keys", "rotate", id);
        rotated.ExitCode.ShouldBe(ExitCodes.Ok, rotated.ToString());
        rotated.Out.ShouldContain("key: ck_");

        (await Tool("keys", "revoke", id)).ExitCode.ShouldBe(ExitCodes.Ok);
    }

    [Fact]
    public async Task TrafficLabelsAlertsAndAnAbortedRolloutThatWaitExitsSix()
    {
        var model = "cli-" + Guid.NewGuid().ToString("N")[..8];
        var file = Path.Combine(Path.GetTempPath(), model + ".onnx");
        var plan = Path.Combine(Path.GetTempPath(), model + ".json");
        await File.WriteAllBytesAsync(file, DemoMlp.Build(), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(plan, """{"target": "2", "baseline": "1", "steps": [{"weight": 10, "duration_seconds": 600}]}""", TestContext.Current.CancellationToken);
        try
        {
            (await Tool("models", "upload", model, "1", file)).ExitCode.ShouldBe(ExitCodes.Ok);
            (await Tool("models", "upload", model, "2", file)).ExitCode.ShouldBe(ExitCodes.Ok);
            (await Tool("labels", "set", model, "stable", "1")).ExitCode.ShouldBe(ExitCodes.Ok);
            var traffic = await Tool("traffic", "set", model, "--weight", "1=100");
            traffic.ExitCode.ShouldBe(ExitCodes.Ok, traffic.ToString());
            (await Tool("traffic", "show", model)).Out.ShouldContain("weight");

            var waiting = Tool("rollout", "start", model, "--plan", plan, "--wait", "--poll-seconds", "0.2");
            await Poll.Until(async () => (await Tool("rollout", "status", model)).Out.Contains("running", StringComparison.Ordinal), limit: TimeSpan.FromSeconds(20));
            (await Tool("rollout", "abort", model)).ExitCode.ShouldBe(ExitCodes.Ok);
            var waited = await waiting;
            waited.ExitCode.ShouldBe(ExitCodes.RolledBack, waited.ToString());
            waited.Out.ShouldContain("aborted");

            var alerts = await Tool("alerts", "list");
            alerts.ExitCode.ShouldBe(ExitCodes.Ok, alerts.ToString());
            alerts.Out.ShouldContain("threshold");
        }
        finally
        {
            File.Delete(file);
            File.Delete(plan);
        }
    }

    [Fact]
    public async Task CapturesExportAsNdjsonToStandardOutputAndToAFile()
    {
        var model = "cli-" + Guid.NewGuid().ToString("N")[..8];
        var file = Path.Combine(Path.GetTempPath(), model + ".onnx");
        var exported = Path.Combine(Path.GetTempPath(), model + ".ndjson");
        await File.WriteAllBytesAsync(file, DemoMlp.Build(), TestContext.Current.CancellationToken);
        try
        {
            (await Tool("models", "upload", model, "1", file)).ExitCode.ShouldBe(ExitCodes.Ok);
            using (var http = new HttpClient { BaseAddress = new Uri(silo.Url) })
            {
                http.DefaultRequestHeaders.Authorization = new("Bearer", TestKeys.Admin);
                using var config = await http.PutAsync($"/api/models/{model}/config",
                    new StringContent("""{"max_batch_size": 8, "capture": {"fraction": 1.0}}""", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
                config.IsSuccessStatusCode.ShouldBeTrue(await config.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            }
            await Poll.Until(async () => (await Tool("models", "show", model)).Out.Contains("ready", StringComparison.Ordinal));
            (await Tool("loadtest", model, "--duration", "0.2", "--no-server-stats", "--max-failures", "0")).ExitCode.ShouldBe(ExitCodes.Ok);

            var lines = await Poll.For(async () => (await Tool("captures", "export", model, "--limit", "3")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Length == 3);
            lines.ShouldAllBe(line => JsonDocument.Parse(line, default).RootElement.GetProperty("model").GetString() == model);

            var toFile = await Tool("captures", "export", model, "--limit", "2", "--out", exported);
            toFile.ExitCode.ShouldBe(ExitCodes.Ok, toFile.ToString());
            toFile.Out.ShouldBeEmpty();
            (await File.ReadAllLinesAsync(exported, TestContext.Current.CancellationToken)).Where(l => l.Length > 0).Count().ShouldBe(2);
        }
        finally
        {
            File.Delete(file);
            File.Delete(exported);
        }
    }

    [Fact]
    public async Task TheBuiltToolRunsAsAProcess()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "cluster.dll"), "models", "show", "no-such-model"]) start.ArgumentList.Add(arg);
        start.Environment["CLUSTER_URL"] = silo.Url;
        start.Environment["CLUSTER_API_KEY"] = TestKeys.Admin;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        process.ExitCode.ShouldBe(ExitCodes.Refused, await error);
        (await error).ShouldContain("no-such-model");
    }

    private Task<ToolRun> Tool(params string[] args) => ToolRun.Of(silo.Connection, args);

    /// <summary>Parses the loadtest CSV: header, then one row per level, every cell a number but <c>mode</c>.</summary>
    private static List<Dictionary<string, double>> Csv(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(line => header.Zip(line.Split(','))
            .Where(p => p.First != "mode" && p.Second.Length > 0)
            .ToDictionary(p => p.First, p => double.Parse(p.Second, CultureInfo.InvariantCulture)))];
    }
}
