extern alias silo;
using System.Diagnostics;
using System.Text.Json;
using Cluster.Tensors;
using silo::Cluster.Silo.Inference;
using silo::Cluster.Silo.Inference.Json;

namespace Cluster.Benchmarks;

/// <summary>
/// What the gateway spends turning a PaddleOCR request body (27,648 floats as JSON) into a
/// tensor, written as .NET writes floats and as Python writes a float32 array's tolist() (nested, widened to double), and, on the
/// same numbers side by side, the general number parser against the exact fast
/// path the gateway now tries first. The parses go through the model's different bodies in turn, as a server sees new
/// numbers with every request: parsing one body again and again lets the processor learn its branches (a number's sign and
/// digit count) and flatters the reader, so that figure is printed beside, not instead.
/// </summary>
internal static class JsonParsing
{
    private const int Rounds = 5;
    private const int ParsesPerRound = 100;

    public static void Measure(Report report, BenchModel model)
    {
        var bodies = model.Bodies;
        var body = bodies[0];
        // The same floats as Python's json writes a float32 array's tolist(): nested, 16 or 17 digits each.
        var widened = model.WidenedBodies;
        TimeParses(bodies);
        TimeParses(widened);
        var perParse = new List<double>();
        var perRepeatedParse = new List<double>();
        var perWidenedParse = new List<double>();
        var general = new List<double>();
        var fast = new List<double>();
        var count = 0;
        for (var round = 0; round < Rounds; round++)
        {
            perParse.Add(TimeParses(bodies));
            perRepeatedParse.Add(TimeParses([body]));
            perWidenedParse.Add(TimeParses(widened));
            general.Add(TimeNumbers(body, useFastPath: false, out count));
            fast.Add(TimeNumbers(body, useFastPath: true, out _));
        }
        report.Line($"### JSON request parsing (PaddleOCR body, {body.Length:N0} bytes, {count:N0} numbers)");
        report.Line();
        report.Line($"- whole request through the gateway's reader, {bodies.Length} bodies in turn: {string.Join(", ", perParse.Select(p => Report.F(p, 2)))} ms per parse (rounds of {ParsesPerRound})");
        report.Line($"- one body again and again (the processor learns its branches): {string.Join(", ", perRepeatedParse.Select(p => Report.F(p, 2)))} ms per parse");
        report.Line($"- the same floats as Python writes them, nested and printed as doubles ({widened[0].Length:N0} bytes): {string.Join(", ", perWidenedParse.Select(p => Report.F(p, 2)))} ms per parse");
        report.Line($"- reading every token and converting each number, general parser (Utf8JsonReader.TryGetDouble): {string.Join(", ", general.Select(g => Report.F(g, 1)))} ns per value");
        report.Line($"- the same with the exact fast path (JsonNumberParser): {string.Join(", ", fast.Select(f => Report.F(f, 1)))} ns per value");
        report.Line($"- fast / general (medians): {Report.F(Report.Median(fast) / Report.Median(general), 2)}");
        report.Line();
    }

    // Each parse's tensors go back to the pool, as the gateway returns them once a request is answered.
    private static double TimeParses(IReadOnlyList<byte[]> bodies)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < ParsesPerRound; i++) TensorBuffers.Return(InferenceRequestJsonReader.Read(bodies[i % bodies.Count]).Inputs);
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
