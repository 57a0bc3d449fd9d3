extern alias silo;
using System.Diagnostics;
using System.Text.Json;
using silo::Cluster.Silo.Inference;
using silo::Cluster.Silo.Inference.Json;

namespace Cluster.Benchmarks;

/// <summary>
/// What the gateway spends turning one PaddleOCR request body (27,648 floats as JSON) into a
/// tensor, written as .NET writes floats and as Python writes a float32 array's tolist() (nested, widened to double), and, on the
/// same numbers side by side, the general number parser against the exact fast
/// path the gateway now tries first.
/// </summary>
internal static class JsonParsing
{
    private const int Rounds = 5;
    private const int ParsesPerRound = 100;

    public static void Measure(Report report, BenchModel model)
    {
        var body = model.Bodies[0];
        // The same floats as Python's json writes a float32 array's tolist(): nested, 16 or 17 digits each.
        var widened = model.WidenedBodies[0];
        for (var i = 0; i < ParsesPerRound; i++)
        {
            InferenceRequestJsonReader.Read(body);
            InferenceRequestJsonReader.Read(widened);
        }
        var perParse = new List<double>();
        var perWidenedParse = new List<double>();
        var general = new List<double>();
        var fast = new List<double>();
        var count = 0;
        for (var round = 0; round < Rounds; round++)
        {
            perParse.Add(TimeParses(body));
            perWidenedParse.Add(TimeParses(widened));
            general.Add(TimeNumbers(body, useFastPath: false, out count));
            fast.Add(TimeNumbers(body, useFastPath: true, out _));
        }
        report.Line($"### JSON request parsing (PaddleOCR body, {body.Length:N0} bytes, {count:N0} numbers)");
        report.Line();
        report.Line($"- whole request through the gateway's reader: {string.Join(", ", perParse.Select(p => Report.F(p, 2)))} ms per parse (rounds of {ParsesPerRound})");
        report.Line($"- the same floats as Python writes them, nested and printed as doubles ({widened.Length:N0} bytes): {string.Join(", ", perWidenedParse.Select(p => Report.F(p, 2)))} ms per parse");
        report.Line($"- reading every token and converting each number, general parser (Utf8JsonReader.TryGetDouble): {string.Join(", ", general.Select(g => Report.F(g, 1)))} ns per value");
        report.Line($"- the same with the exact fast path (JsonNumberParser): {string.Join(", ", fast.Select(f => Report.F(f, 1)))} ns per value");
        report.Line($"- fast / general (medians): {Report.F(Report.Median(fast) / Report.Median(general), 2)}");
        report.Line();
    }

    private static double TimeParses(byte[] body)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < ParsesPerRound; i++) InferenceRequestJsonReader.Read(body);
        return clock.Elapsed.TotalMilliseconds / ParsesPerRound;
    }

    private static double TimeNumbers(byte[] body, bool useFastPath, out int count)
    {
        var clock = Stopwatch.StartNew();
        count = 0;
        double sum = 0;
        for (var repeat = 0; repeat < 20; repeat++)
        {
            var reader = new Utf8JsonReader(body);
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.Number) continue;
                double value;
                if (useFastPath) JsonNumberParser.TryParseExact(reader.ValueSpan, out value);
                else reader.TryGetDouble(out value);
                sum += value;
                count++;
            }
        }
        var elapsed = clock.Elapsed.TotalMilliseconds * 1e6 / count;
        count /= 20;
        // The sum keeps the conversions from being optimised away.
        return double.IsNaN(sum) ? -1 : elapsed;
    }
}
