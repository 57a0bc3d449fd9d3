using System.Collections.Immutable;
using System.Globalization;
using Cluster.Errors;
using Cluster.Protocol.V2;
using Cluster.Silo.Inference.Json;
using Google.Protobuf.Collections;

namespace Cluster.Silo.Inference.Grpc;

/// <summary>
/// Reads <c>ModelInferRequest</c> parameters by REST's rules: the ones we act on must carry the value
/// type they are defined with (a <c>timeout</c> sent as a string is refused, not ignored), and the
/// ones of extensions we do not serve are refused (<see cref="UnservedExtensions"/>).
/// </summary>
internal static class GrpcParameters
{
    /// <summary>
    /// The request's parameters: <c>timeout</c> and <c>routing_key</c>, which the gateway acts on, and the others as text
    /// (as REST keeps them, e.g. for a quality config's segment); no dictionary is made for a request without others.
    /// </summary>
    public static (TimeSpan? Timeout, string? RoutingKey, ImmutableDictionary<string, string>? Others) ReadRequest(MapField<string, InferParameter> parameters)
    {
        // Most requests carry none: no enumerator for them.
        if (parameters.Count == 0) return (null, null, null);
        TimeSpan? timeout = null;
        string? routingKey = null;
        ImmutableDictionary<string, string>.Builder? others = null;
        foreach (var (name, value) in parameters)
        {
            switch (name)
            {
                case "timeout":
                    if (value.ParameterChoiceCase != InferParameter.ParameterChoiceOneofCase.Int64Param
                        || value.Int64Param <= 0 || value.Int64Param > ParametersJson.MaxTimeoutMicroseconds)
                    {
                        throw Invalid("Request parameter 'timeout' must be an int64_param: a positive number of microseconds (at most one hour).");
                    }
                    timeout = TimeSpan.FromMicroseconds(value.Int64Param);
                    break;
                case "routing_key":
                    if (value.ParameterChoiceCase != InferParameter.ParameterChoiceOneofCase.StringParam) throw Invalid("Request parameter 'routing_key' must be a string_param.");
                    routingKey = value.StringParam;
                    break;
                default:
                    if (UnservedExtensions.OfRequestParameter(name) is { } extension) throw Invalid(UnservedExtensions.Refusal("The request", name, extension));
                    EnsureValue(name, value, "Request parameter");
                    others ??= ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
                    others[name] = Text(value);
                    break;
            }
        }
        return (timeout, routingKey, others?.ToImmutable());
    }

    // The text REST would keep for the same value: JSON's spelling of numbers and booleans.
    private static string Text(InferParameter value) => value.ParameterChoiceCase switch
    {
        InferParameter.ParameterChoiceOneofCase.BoolParam => value.BoolParam ? "true" : "false",
        InferParameter.ParameterChoiceOneofCase.Int64Param => value.Int64Param.ToString(CultureInfo.InvariantCulture),
        InferParameter.ParameterChoiceOneofCase.Uint64Param => value.Uint64Param.ToString(CultureInfo.InvariantCulture),
        InferParameter.ParameterChoiceOneofCase.DoubleParam => value.DoubleParam.ToString("R", CultureInfo.InvariantCulture),
        _ => value.StringParam,
    };

    /// <summary>
    /// Refuses an input's or requested output's parameters that ask for an extension we do not serve,
    /// or carry no value; <paramref name="kind"/> ("Input", "Output") and <paramref name="tensor"/> name it in the error.
    /// </summary>
    public static void EnsureServed(MapField<string, InferParameter> parameters, string kind, string tensor)
    {
        if (parameters.Count == 0) return;
        foreach (var (name, value) in parameters)
        {
            if (UnservedExtensions.OfTensorParameter(name) is { } extension) throw Invalid(UnservedExtensions.Refusal($"{kind} '{tensor}'", name, extension));
            EnsureValue(name, value, $"{kind} '{tensor}': parameter");
        }
    }

    private static void EnsureValue(string name, InferParameter value, string what)
    {
        if (value.ParameterChoiceCase == InferParameter.ParameterChoiceOneofCase.None) throw Invalid($"{what} '{name}' has no value.");
    }

    private static InvalidInferenceRequestException Invalid(string message) => new(message);
}
