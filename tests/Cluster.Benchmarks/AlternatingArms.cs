namespace Cluster.Benchmarks;

/// <summary>
/// Arms of one comparison on one silo, alternated in many short rounds (this machine's speed drifts by ±25 % over minutes,
/// so arms that alternate quickly see the same machine), each arm compared with the first: throughput and the silo's CPU per
/// request, per round and as medians of the per-round ratios with their intervals (<see cref="MedianInterval"/>); with a control
/// arm, each arm also against the first and the control together.
/// </summary>
internal sealed class AlternatingArms(string[] names, Func<int, Task>[] arms, int rounds = AlternatingArms.DefaultRounds)
{
    /// <summary>Rounds of a run unless ROUNDS says otherwise (the script's <c>--rounds</c>).</summary>
    public const int DefaultRounds = 12;

    // Seeds the order of the arms in each round, so that every run measures them in the same orders (those of docs/BENCHMARKS.md).
    internal const int OrderSeed = 12;

    /// <summary>Requests each arm completed over the measured rounds.</summary>
    public long[] Served { get; } = new long[names.Length];

    /// <summary>The silo's CPU milliseconds per request of each arm, a value per measured round.</summary>
    public List<double>[] CpuMsPerRequest { get; } = [.. names.Select(_ => new List<double>())];

    /// <summary>Drives every arm for <paramref name="settle"/>, then all of them until the silo's JIT is quiet.</summary>
    public async Task Settle(HttpClient http, TimeSpan settle)
    {
        foreach (var arm in arms) await LoadRunner.ClosedLoop("warm-up", "adaptive", Protocols.Concurrency, TimeSpan.Zero, settle, arm);
        await JitSettle.WaitAsync(http, arms, Protocols.Concurrency);
    }

    /// <summary>One arm for the whole duration, to profile the silo meanwhile (TARGET="capture 1.0").</summary>
    public async Task MeasureOne(string name, int siloPid, HttpClient http, TimeSpan warmup, TimeSpan duration)
    {
        var single = await SplitCores.MeasureServed(name, arms[Array.IndexOf(names, name)], siloPid, http, warmup, duration);
        Console.WriteLine($"{name}: {single.Result.Throughput:F0} req/s, silo CPU {single.CpuMsPerCall:F3} ms per request");
    }

    /// <summary>
    /// Runs the rounds and writes the table of rounds and a line per arm against the first (target: ratio ≥ <paramref name="target"/>).
    /// The arm named <paramref name="control"/>, if any, is the first again under another name: its ratio has no target, and
    /// shows how far two arms of this run differ by chance.
    /// </summary>
    public async Task Measure(Report report, int siloPid, HttpClient http, TimeSpan warmup, TimeSpan duration, double target, string? control = null)
    {
        report.Line("| round | " + string.Join(" | ", names.Select(n => $"{n} req/s")) + " | " + string.Join(" | ", names.Select(n => $"{n} CPU ms/req")) + " |");
        report.Line("|---:|" + string.Concat(names.Select(_ => "---:|")) + string.Concat(names.Select(_ => "---:|")));
        var throughput = names.Select(_ => new List<double>()).ToArray();
        var cpu = CpuMsPerRequest;
        // A fresh order each round, the same in every run. An order that only turned had each arm follow the same one in every
        // round (its leftovers: a capture backlog, a pending export), and with rounds of a fixed length the silo's work every
        // 5 or 10 s (statistics written, replicas rebalanced) could fall on the same arms each time: the control arm, the baseline
        // again, read 1.01-1.05 in five runs out of five.
        var shuffle = new Random(OrderSeed);
        var order = Enumerable.Range(0, arms.Length).ToArray();
        for (var round = 1; round <= rounds; round++)
        {
            shuffle.Shuffle(order);
            foreach (var i in order)
            {
                var (result, cpuPerCall, _, _) = await SplitCores.MeasureServed(names[i], arms[i], siloPid, http, warmup, duration);
                throughput[i].Add(result.Throughput);
                cpu[i].Add(cpuPerCall);
                Served[i] += result.Completed;
            }
            report.Line($"| {round} | " + string.Join(" | ", throughput.Select(t => Report.F(t[^1], 0))) + " | " + string.Join(" | ", cpu.Select(c => Report.F(c[^1], 3))) + " |");
        }
        report.Line();
        for (var i = 1; i < names.Length; i++)
        {
            var ratios = throughput[i].Zip(throughput[0], (arm, first) => arm / first).ToList();
            var median = Report.Median(ratios);
            var interval = MedianInterval.Of(ratios);
            var verdict = names[i] == control ? "the same arm: chance alone" : $"target ≥ {Report.F(target, 2)}: {MedianInterval.Verdict(interval, target)}";
            report.Line($"- {names[i]} / {names[0]} throughput: rounds {string.Join(", ", ratios.Select(r => Report.F(r, 3)))}; median {Report.F(median, 3)}, " +
                $"95 % interval {Report.F(interval.Low, 3)}-{Report.F(interval.High, 3)} ({verdict}); silo CPU per request, {names[i]} / {names[0]}: " +
                $"median {Report.F(Report.Median(cpu[i].Zip(cpu[0], (arm, first) => arm / first)), 3)}");
        }
        var c = Array.IndexOf(names, control);
        if (c < 0) return;
        // Two identical models on one silo differed by 2 % through a whole run of 300 rounds (that silo process's own draw: another
        // process had them 1 % the other way), so each arm is also held against both of them, the round's geometric mean.
        for (var i = 1; i < names.Length; i++)
        {
            if (i == c) continue;
            var ratios = throughput[i].Select((arm, round) => arm / Math.Sqrt(throughput[0][round] * throughput[c][round])).ToList();
            var interval = MedianInterval.Of(ratios);
            report.Line($"- {names[i]} / both {names[0]} and {names[c]}: median {Report.F(Report.Median(ratios), 3)}, 95 % interval " +
                $"{Report.F(interval.Low, 3)}-{Report.F(interval.High, 3)} (target ≥ {Report.F(target, 2)}: {MedianInterval.Verdict(interval, target)})");
        }
    }
}
