using System.Collections.Immutable;
using System.Text.Json;
using Cluster.Errors;
using Cluster.Inference;
using Cluster.Silo.Inference.Json;
using Cluster.Tensors;

namespace Cluster.Silo.Inference;

/// <summary>
/// Parses a v2 inference request body with <see cref="Utf8JsonReader"/>. A tensor's <c>data</c>
/// may come before its <c>datatype</c>, so its slice is remembered and converted once the
/// tensor object is complete; every mistake becomes an <see cref="InvalidInferenceRequestException"/>.
/// </summary>
internal static class InferenceRequestJsonReader
{
    /// <summary>Nesting the reader accepts unless told otherwise (a [N,C,H,W] tensor written nested needs 5 levels, plus 3 for the request).</summary>
    public const int DefaultMaxDepth = 32;

    /// <summary>Parses a body that is all JSON.</summary>
    public static InferenceRequest Read(byte[] body) => Read(body, body.Length).Request;

    /// <summary>
    /// Parses a body whose first <paramref name="jsonLength"/> bytes are the JSON header and the rest
    /// the binary tensor data extension's section: inputs with <c>parameters.binary_data_size</c>
    /// take their bytes from it in order.
    /// </summary>
    public static ParsedInferenceRequest Read(byte[] body, int jsonLength, int maxDepth = DefaultMaxDepth)
    {
        var binary = new BinarySection(body.Length - jsonLength);
        var parsed = ReadHeader(body.AsSpan(0, jsonLength), binary, maxDepth);
        binary.EnsureAllClaimed();
        binary.FillFrom(body.AsSpan(jsonLength));
        return parsed;
    }

    /// <summary>
    /// Parses the JSON part of a request alone; inputs with <c>parameters.binary_data_size</c> claim
    /// their arrays from <paramref name="binary"/>, which the caller fills from the rest of the body.
    /// </summary>
    public static ParsedInferenceRequest ReadHeader(ReadOnlySpan<byte> json, BinarySection binary, int maxDepth = DefaultMaxDepth)
    {
        try
        {
            return ReadRequest(json, binary, new JsonReaderOptions { MaxDepth = maxDepth, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException ex)
        {
            throw new InvalidInferenceRequestException($"Malformed JSON: {ex.Message}");
        }
        catch (InvalidOperationException ex) when (ex.InnerException is System.Text.DecoderFallbackException || ex.Message.Contains("UTF-8", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidInferenceRequestException($"The request is not valid UTF-8 text: {ex.Message}");
        }
    }

    private static ParsedInferenceRequest ReadRequest(ReadOnlySpan<byte> body, BinarySection binary, JsonReaderOptions options)
    {
        var reader = new Utf8JsonReader(body, options);
        // Where the reader's span starts in the body: a flat number array read without the reader leaves it on a later slice.
        var offset = 0;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw Invalid("The request body must be a JSON object.");
        string? id = null;
        ImmutableArray<TensorData>? inputs = null;
        var outputs = ImmutableArray<string>.Empty;
        var binaryOutputs = ImmutableHashSet<string>.Empty;
        (TimeSpan? Timeout, string? RoutingKey, bool BinaryOutput) parameters = default;
        while (NextProperty(ref reader, out var property))
        {
            switch (property)
            {
                case "id": id = ReadString(ref reader, "id"); break;
                case "parameters": parameters = ReadRequestParameters(ref reader); break;
                case "inputs": inputs = ReadInputs(ref reader, ref offset, body, binary); break;
                case "outputs": (outputs, binaryOutputs) = ReadOutputs(ref reader); break;
                default: throw Invalid($"Unknown field '{property}' in the request; it may hold id, parameters, inputs and outputs.");
            }
        }
        EnsureEnd(ref reader);
        if (inputs is null) throw Invalid("The request has no 'inputs'.");
        return new ParsedInferenceRequest(
            new InferenceRequest(id, inputs.Value, outputs, parameters.Timeout, parameters.RoutingKey), parameters.BinaryOutput, binaryOutputs);
    }

    /// <summary>
    /// Reads request parameters: <c>timeout</c> (microseconds, as Triton takes it) bounds the time
    /// before compute; <c>routing_key</c> keeps a sticky traffic split on one version.
    /// </summary>
    private static (TimeSpan? Timeout, string? RoutingKey, bool BinaryOutput) ReadRequestParameters(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw Invalid("'parameters' must be an object.");
        TimeSpan? timeout = null;
        string? routingKey = null;
        var binaryOutput = false;
        while (NextProperty(ref reader, out var property))
        {
            if (property == "binary_data_output")
            {
                binaryOutput = ReadBool(ref reader, "parameters.binary_data_output");
                continue;
            }
            if (property == "routing_key")
            {
                routingKey = ReadString(ref reader, "parameters.routing_key");
                continue;
            }
            if (property != "timeout")
            {
                reader.Skip();
                continue;
            }
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var microseconds) || microseconds <= 0 || microseconds > 3_600_000_000)
            {
                throw Invalid("'parameters.timeout' must be a positive number of microseconds (at most one hour).");
            }
            timeout = TimeSpan.FromMicroseconds(microseconds);
        }
        return (timeout, routingKey, binaryOutput);
    }

    private static ImmutableArray<TensorData> ReadInputs(ref Utf8JsonReader reader, ref int offset, ReadOnlySpan<byte> body, BinarySection binary)
    {
        Expect(ref reader, JsonTokenType.StartArray, "'inputs' must be an array.");
        var inputs = ImmutableArray.CreateBuilder<TensorData>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject) throw Invalid("Each entry of 'inputs' must be an object.");
            inputs.Add(ReadTensor(ref reader, ref offset, body, binary, inputs.Count));
        }
        return inputs.ToImmutable();
    }

    private static TensorData ReadTensor(ref Utf8JsonReader reader, ref int offset, ReadOnlySpan<byte> body, BinarySection binary, int position)
    {
        string? name = null, datatype = null;
        ImmutableArray<long>? shape = null;
        (int Start, int End)? data = null;
        byte[]? parsed = null;
        long? binarySize = null;
        while (NextProperty(ref reader, out var property))
        {
            switch (property)
            {
                case "name": name = ReadString(ref reader, "name"); break;
                case "datatype": datatype = ReadString(ref reader, "datatype"); break;
                case "shape": shape = ReadShape(ref reader, name ?? $"#{position}"); break;
                case "data":
                    if (reader.TokenType != JsonTokenType.StartArray) throw Invalid($"Input '{name ?? $"#{position}"}': 'data' must be an array.");
                    var start = offset + (int)reader.TokenStartIndex;
                    // Usual field order (name, datatype, shape, then data): convert while reading, in one pass.
                    if (name is not null && shape is { } known && datatype is not null && TensorDataTypes.TryParse(datatype, out var early)
                        && ShapeMath.TryElementCount(known.AsSpan(), out var elements))
                    {
                        parsed = FlatNumberArray.ReadData(ref reader, ref offset, body, name, early, elements, start);
                    }
                    else
                    {
                        reader.Skip();
                    }
                    data = (start, offset + (int)reader.BytesConsumed);
                    break;
                case "parameters": binarySize = ReadBinaryDataSize(ref reader, name ?? $"#{position}"); break;
                default: throw Invalid($"Input '{name ?? $"#{position}"}' has an unknown field '{property}'; a tensor holds name, datatype, shape, data and parameters.");
            }
        }
        if (name is null) throw Invalid($"Input #{position} has no 'name'.");
        if (datatype is null) throw Invalid($"Input '{name}' has no 'datatype'.");
        if (shape is null) throw Invalid($"Input '{name}' has no 'shape'.");
        if (data is null && binarySize is null) throw Invalid($"Input '{name}' has no 'data' (nor parameters.binary_data_size).");
        if (data is not null && binarySize is not null) throw Invalid($"Input '{name}' has both 'data' and parameters.binary_data_size.");
        if (!TensorDataTypes.TryParse(datatype, out var type)) throw Invalid($"Input '{name}' has unknown datatype '{datatype}'.");
        long count;
        try
        {
            count = ShapeMath.ElementCount(shape.Value.AsSpan());
        }
        catch (OverflowException)
        {
            throw Invalid($"Input '{name}' has a shape too large to hold.");
        }
        if (binarySize is { } size)
        {
            // BYTES elements vary in length: the validator walks their prefixes against the shape.
            if (type == TensorDataType.Bytes) return new TensorData(name, type, shape.Value, binary.Take(name, size));
            var expected = count * type.ElementSize();
            if (size != expected) throw Invalid($"Input '{name}': binary_data_size is {size} bytes; shape {ShapeMath.Format(shape.Value.AsSpan())} of {type.ProtocolName()} needs {expected}.");
            return new TensorData(name, type, shape.Value, binary.Take(name, size));
        }
        var bytes = parsed ?? TensorJsonData.Read(body[data!.Value.Start..data.Value.End], name, type, count);
        return new TensorData(name, type, shape.Value, bytes);
    }

    private static ImmutableArray<long> ReadShape(ref Utf8JsonReader reader, string name)
    {
        Expect(ref reader, JsonTokenType.StartArray, $"Input '{name}': 'shape' must be an array of integers.");
        var shape = ImmutableArray.CreateBuilder<long>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var dim) || dim < 0)
            {
                throw Invalid($"Input '{name}': 'shape' must hold non-negative integers.");
            }
            shape.Add(dim);
        }
        return shape.ToImmutable();
    }

    private static (ImmutableArray<string> Names, ImmutableHashSet<string> Binary) ReadOutputs(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray, "'outputs' must be an array.");
        var outputs = ImmutableArray.CreateBuilder<string>();
        var binary = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject) throw Invalid("Each entry of 'outputs' must be an object with a 'name'.");
            string? name = null;
            var asBinary = false;
            while (NextProperty(ref reader, out var property))
            {
                if (property == "name") name = ReadString(ref reader, "name");
                else if (property == "parameters") asBinary = ReadBinaryDataFlag(ref reader, name ?? "?");
                else reader.Skip();
            }
            outputs.Add(name ?? throw Invalid("An entry of 'outputs' has no 'name'."));
            if (asBinary) binary.Add(name);
        }
        return (outputs.ToImmutable(), binary.ToImmutable());
    }

    private static long? ReadBinaryDataSize(ref Utf8JsonReader reader, string name)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw Invalid($"Tensor '{name}': 'parameters' must be an object.");
        long? size = null;
        while (NextProperty(ref reader, out var property))
        {
            if (property != "binary_data_size")
            {
                reader.Skip();
                continue;
            }
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value) || value < 0) throw Invalid($"Input '{name}': binary_data_size must be a non-negative integer.");
            size = value;
        }
        return size;
    }

    private static bool ReadBinaryDataFlag(ref Utf8JsonReader reader, string name)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw Invalid($"Output '{name}': 'parameters' must be an object.");
        var binary = false;
        while (NextProperty(ref reader, out var property))
        {
            if (property == "binary_data") binary = ReadBool(ref reader, $"outputs[{name}].parameters.binary_data");
            else reader.Skip();
        }
        return binary;
    }

    private static bool ReadBool(ref Utf8JsonReader reader, string property) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw Invalid($"'{property}' must be true or false."),
    };

    /// <summary>Moves to the next property of the current object and onto its value; false at the object's end.</summary>
    private static bool NextProperty(ref Utf8JsonReader reader, out string name)
    {
        name = "";
        if (!reader.Read()) throw Invalid("The JSON ends too early.");
        if (reader.TokenType == JsonTokenType.EndObject) return false;
        name = reader.GetString()!;
        if (!reader.Read()) throw Invalid("The JSON ends too early.");
        return true;
    }

    private static string ReadString(ref Utf8JsonReader reader, string property) =>
        reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw Invalid($"'{property}' must be a string.");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string message)
    {
        if (reader.TokenType != type) throw Invalid(message);
    }

    private static void EnsureEnd(ref Utf8JsonReader reader)
    {
        if (reader.Read()) throw Invalid("Unexpected content after the request object.");
    }

    private static InvalidInferenceRequestException Invalid(string message) => new(message);
}
