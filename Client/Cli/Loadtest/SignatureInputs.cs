using System.Globalization;
using System.Text.Json;

namespace Cluster.Cli.Loadtest;

/// <summary>
/// Makes inputs from a model's metadata (<c>GET /v2/models/{m}</c>): each input's datatype and shape,
/// dynamic dimensions (-1) as 1 unless <c>--shape name:d0,d1,...</c> says otherwise, filled with
/// seeded random values (floats in [0, 1), integers in [0, 10), random BOOLs, short strings).
/// </summary>
internal static class SignatureInputs
{
    public static IReadOnlyList<InputTensor> Create(JsonElement metadata, IReadOnlyDictionary<string, long[]> shapes, int seed = 17)
    {
        var random = new Random(seed);
        var inputs = new List<InputTensor>();
        foreach (var input in JsonText.Items(metadata, "inputs"))
        {
            var name = JsonText.Field(input, "name");
            var datatype = JsonText.Field(input, "datatype");
            var declared = JsonText.Items(input, "shape").Select(d => d.GetInt64()).ToArray();
            var shape = shapes.TryGetValue(name, out var given) ? Checked(name, declared, given) : [.. declared.Select(d => d < 0 ? 1 : d)];
            var count = (int)shape.Aggregate(1L, (a, b) => a * b);
            inputs.Add(datatype == "BYTES"
                ? new InputTensor(name, datatype, shape, null, [.. Enumerable.Range(0, count).Select(_ => Word(random))])
                : new InputTensor(name, datatype, shape, [.. Enumerable.Range(0, count).Select(_ => Value(datatype, random))], null));
        }
        if (inputs.Count == 0) throw new UsageException("the model's metadata lists no inputs");
        foreach (var name in shapes.Keys.Where(n => inputs.All(i => i.Name != n))) throw new UsageException($"--shape names '{name}', which is not an input of the model");
        return inputs;
    }

    /// <summary>Parses <c>name:1,3,48,192</c>.</summary>
    public static KeyValuePair<string, long[]> ParseShape(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0) throw new UsageException($"--shape takes NAME:D0,D1,..., not '{text}'");
        try
        {
            return new(text[..colon], [.. text[(colon + 1)..].Split(',').Select(d => long.Parse(d, NumberStyles.None, CultureInfo.InvariantCulture))]);
        }
        catch (FormatException)
        {
            throw new UsageException($"--shape takes NAME:D0,D1,... with positive whole dimensions, not '{text}'");
        }
    }

    private static long[] Checked(string name, long[] declared, long[] given)
    {
        var fits = declared.Length == given.Length && declared.Zip(given).All(p => p.First < 0 || p.First == p.Second);
        return fits ? given : throw new UsageException($"--shape {name}:{string.Join(",", given)} does not fit the declared shape [{string.Join(",", declared)}]");
    }

    private static double Value(string datatype, Random random) => datatype switch
    {
        "FP16" or "FP32" or "FP64" => Math.Round(random.NextDouble(), 4),
        "BOOL" => random.Next(2),
        _ => random.Next(10),
    };

    private static string Word(Random random) => new([.. Enumerable.Range(0, 8).Select(_ => (char)('a' + random.Next(26)))]);
}
