using System.Text.Json;

namespace Cluster.Cli.Loadtest;

/// <summary>Writes the JSON of a v2 request: with data inline, or (binary extension) with each input's byte count.</summary>
internal static class JsonRequestBody
{
    public static byte[] Write(IReadOnlyList<InputTensor> inputs, bool binary)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            if (binary)
            {
                json.WriteStartObject("parameters");
                json.WriteBoolean("binary_data_output", true);
                json.WriteEndObject();
            }
            json.WriteStartArray("inputs");
            foreach (var input in inputs)
            {
                json.WriteStartObject();
                json.WriteString("name", input.Name);
                json.WriteString("datatype", input.Datatype);
                json.WriteStartArray("shape");
                foreach (var dim in input.Shape) json.WriteNumberValue(dim);
                json.WriteEndArray();
                if (binary)
                {
                    json.WriteStartObject("parameters");
                    json.WriteNumber("binary_data_size", input.Raw().Length);
                    json.WriteEndObject();
                }
                else
                {
                    WriteData(json, input);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return stream.ToArray();
    }

    private static void WriteData(Utf8JsonWriter json, InputTensor input)
    {
        json.WriteStartArray("data");
        if (input.Texts is { } texts)
        {
            foreach (var text in texts) json.WriteStringValue(text);
        }
        else
        {
            foreach (var value in input.Numbers!)
            {
                if (input.Datatype == "BOOL") json.WriteBooleanValue(value != 0);
                else json.WriteNumberValue(value);
            }
        }
        json.WriteEndArray();
    }
}
