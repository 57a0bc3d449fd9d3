using System.Collections.Immutable;
using System.Text.Json;
using Cluster.Errors;
using Cluster.Inference;
using Cluster.Silo.Inference.Json;
using Cluster.Tensors;
using static Cluster.Silo.Inference.Json.JsonProperties;

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
    public static InferenceRequest Read(byte[] body) => ReadJson(body).Request;

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
        if (jsonLength < body.Length) BoolInputs.EnsureZeroOrOne(parsed.Request.Inputs);
        return parsed;
    }

    /// <summary>Parses a body that is all JSON, from a span (a lent array's used part); no tensor keeps a reference to it.</summary>
    public static ParsedInferenceRequest ReadJson(ReadOnlySpan<byte> body, int maxDepth = DefaultMaxDepth)
    {
        var none = new BinarySection(0);
        var parsed = ReadHeader(body, none, maxDepth);
        none.EnsureAllClaimed();
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
        var binaryOutputs = ImmutableDictionary<string, bool>.Empty;
        (TimeSpan? Timeout, string? RoutingKey, bool BinaryOutput, ImmutableDictionary<string, string>? Others) parameters = default;
        while (Next(ref reader, out var property))
        {
            switch (property)
            {
                case "id": id = ReadString(ref reader, "id"); break;
                case "parameters": parameters = ParametersJson.ReadRequest(ref reader); break;
                case "inputs": inputs = ReadInputs(ref reader, ref offset, body, binary); break;
                case "outputs": (outputs, binaryOutputs) = ReadOutputs(ref reader); break;
                default: throw Invalid($"Unknown field '{property}' in the request; it may hold id, parameters, inputs and outputs.");
            }
        }
        EnsureEnd(ref reader);
        if (inputs is null) throw Invalid("The request has no 'inputs'.");
        return new ParsedInferenceRequest(
            new InferenceRequest(id, inputs.Value, outputs, parameters.Timeout, parameters.RoutingKey, parameters.Others), parameters.BinaryOutput, binaryOutputs);
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
        while (Next(ref reader, out var property))
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
                        parsed = FloatArrayReader.ReadData(ref reader, ref offset, body, name, early, elements, known.Length, start);
                    }
                    else
                    {
                        reader.Skip();
                    }
                    data = (start, offset + (int)reader.BytesConsumed);
                    break;
                case "parameters": binarySize = ParametersJson.ReadInput(ref reader, name ?? $"#{position}"); break;
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

    private static (ImmutableArray<string> Names, ImmutableDictionary<string, bool> Binary) ReadOutputs(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray, "'outputs' must be an array.");
        var outputs = ImmutableArray.CreateBuilder<string>();
        ImmutableDictionary<string, bool>.Builder? binary = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject) throw Invalid("Each entry of 'outputs' must be an object with a 'name'.");
            string? name = null;
            bool? asBinary = null;
            while (Next(ref reader, out var property))
            {
                if (property == "name") name = ReadString(ref reader, "name");
                else if (property == "parameters") asBinary = ParametersJson.ReadOutput(ref reader, name ?? $"#{outputs.Count}");
                else throw Invalid($"Output '{name ?? $"#{outputs.Count}"}' has an unknown field '{property}'; a requested output holds name and parameters.");
            }
            outputs.Add(name ?? throw Invalid($"Output #{outputs.Count} has no 'name'."));
            if (asBinary is { } setting)
            {
                binary ??= ImmutableDictionary.CreateBuilder<string, bool>(StringComparer.Ordinal);
                binary[name] = setting;
            }
        }
        return (outputs.ToImmutable(), binary?.ToImmutable() ?? ImmutableDictionary<string, bool>.Empty);
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string message)
    {
        if (reader.TokenType != type) throw Invalid(message);
    }

    private static void EnsureEnd(ref Utf8JsonReader reader)
    {
        if (reader.Read()) throw Invalid("Unexpected content after the request object.");
    }
}
