using System.Globalization;
using System.Text.Json;

namespace Cluster.Cli.Loadtest;

/// <summary>Reads inputs from a v2 JSON request file: <c>{"inputs": [{"name", "datatype", "shape", "data"}]}</c>, data flat or nested.</summary>
internal static class FileInputs
{
    public static IReadOnlyList<InputTensor> Read(string path)
    {
        if (!File.Exists(path)) throw new UsageException($"no such file: {path}");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var inputs = JsonText.Items(document.RootElement, "inputs").Select(Tensor).ToArray();
            return inputs.Length > 0 ? inputs : throw new UsageException($"{path} holds no \"inputs\"");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new UsageException($"{path} is not a v2 inference request: {ex.Message}");
        }
    }

    private static InputTensor Tensor(JsonElement input)
    {
        var name = JsonText.Field(input, "name");
        var datatype = JsonText.Field(input, "datatype");
        var shape = JsonText.Items(input, "shape").Select(d => d.GetInt64()).ToArray();
        var flat = new List<JsonElement>();
        Flatten(JsonText.Child(input, "data"), flat);
        var tensor = datatype == "BYTES"
            ? new InputTensor(name, datatype, shape, null, [.. flat.Select(e => e.GetString()!)])
            : new InputTensor(name, datatype, shape, [.. flat.Select(Number)], null);
        var count = tensor.Numbers?.Length ?? tensor.Texts!.Length;
        if (count != tensor.ElementCount) throw new UsageException($"input '{name}' has {count} values for shape [{string.Join(",", shape)}]");
        return tensor;
    }

    private static void Flatten(JsonElement data, List<JsonElement> into)
    {
        if (data.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in data.EnumerateArray()) Flatten(item, into);
        }
        else if (data.ValueKind != JsonValueKind.Undefined)
        {
            into.Add(data);
        }
    }

    private static double Number(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => 1,
        JsonValueKind.False => 0,
        JsonValueKind.String => double.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => value.GetDouble(),
    };
}
