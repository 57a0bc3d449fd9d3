using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using static Cluster.Silo.Inference.Json.JsonProperties;

namespace Cluster.Silo.Inference.Json;

/// <summary>
/// Reads the <c>parameters</c> objects of a v2 request, its inputs and its requested outputs. A
/// parameter's value is a string, number or boolean (the protocol's definition); the ones we act on
/// are checked for their type, and the ones of extensions we do not serve are refused
/// (<see cref="UnservedExtensions"/>).
/// </summary>
internal static class ParametersJson
{
    /// <summary>Longest <c>timeout</c> a request may ask for, in microseconds (one hour).</summary>
    public const long MaxTimeoutMicroseconds = 3_600_000_000;

    /// <summary>
    /// Request parameters: <c>timeout</c> (microseconds, as Triton takes it) bounds the time before
    /// compute; <c>routing_key</c> keeps a sticky traffic split on one version; <c>binary_data_output</c>
    /// is the binary extension's default for every output. Any other scalar is kept as text (a model's quality config may name one
    /// as its segment); no dictionary is made for a request without one.
    /// </summary>
    public static (TimeSpan? Timeout, string? RoutingKey, bool BinaryOutput, ImmutableDictionary<string, string>? Others) ReadRequest(ref Utf8JsonReader reader)
    {
        ImmutableDictionary<string, string>.Builder? others = null;
        if (reader.TokenType != JsonTokenType.StartObject) throw Invalid("'parameters' must be an object.");
        TimeSpan? timeout = null;
        string? routingKey = null;
        var binaryOutput = false;
        while (Next(ref reader, out var property))
        {
            switch (property)
            {
                case "binary_data_output": binaryOutput = ReadBool(ref reader, "parameters.binary_data_output"); break;
                case "routing_key": routingKey = ReadString(ref reader, "parameters.routing_key"); break;
                case "timeout": timeout = ReadTimeout(ref reader); break;
                default:
                    if (UnservedExtensions.OfRequestParameter(property) is { } extension) throw Invalid(UnservedExtensions.Refusal("The request", property, extension));
                    EnsureScalar(ref reader, "The request", null, property);
                    others ??= ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
                    others[property] = ScalarText(ref reader);
                    break;
            }
        }
        return (timeout, routingKey, binaryOutput, others?.ToImmutable());
    }

    /// <summary>An input's parameters; returns its <c>binary_data_size</c>, if it has one.</summary>
    public static long? ReadInput(ref Utf8JsonReader reader, string input)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw Invalid($"Input '{input}': 'parameters' must be an object.");
        long? size = null;
        while (Next(ref reader, out var property))
        {
            if (property == "binary_data_size")
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value) || value < 0) throw Invalid($"Input '{input}': binary_data_size must be a non-negative integer.");
                size = value;
            }
            else
            {
                EnsureServed(property, "Input", input);
                EnsureScalar(ref reader, "Input", input, property);
            }
        }
        return size;
    }

    /// <summary>A requested output's parameters; returns its <c>binary_data</c> setting, or null when it sets none.</summary>
    public static bool? ReadOutput(ref Utf8JsonReader reader, string output)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw Invalid($"Output '{output}': 'parameters' must be an object.");
        bool? binary = null;
        while (Next(ref reader, out var property))
        {
            if (property == "binary_data")
            {
                // Not ReadBool: its message would be built for every output that sets the flag.
                binary = reader.TokenType switch
                {
                    JsonTokenType.True => true,
                    JsonTokenType.False => false,
                    _ => throw Invalid($"'outputs[{output}].parameters.binary_data' must be true or false."),
                };
            }
            else
            {
                EnsureServed(property, "Output", output);
                EnsureScalar(ref reader, "Output", output, property);
            }
        }
        return binary;
    }

    private static TimeSpan ReadTimeout(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var microseconds) || microseconds <= 0 || microseconds > MaxTimeoutMicroseconds)
        {
            throw Invalid("'parameters.timeout' must be a positive number of microseconds (at most one hour).");
        }
        return TimeSpan.FromMicroseconds(microseconds);
    }

    private static void EnsureServed(string property, string kind, string tensor)
    {
        if (UnservedExtensions.OfTensorParameter(property) is { } extension) throw Invalid(UnservedExtensions.Refusal($"{kind} '{tensor}'", property, extension));
    }

    private static string ScalarText(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString()!,
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        _ => System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
    };

    private static void EnsureScalar(ref Utf8JsonReader reader, string kind, string? tensor, string property)
    {
        if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False))
        {
            throw Invalid($"{(tensor is null ? kind : $"{kind} '{tensor}'")}: parameter '{property}' must be a string, number or boolean.");
        }
    }
}
