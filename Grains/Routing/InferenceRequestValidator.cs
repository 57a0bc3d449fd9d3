using System.Collections.Immutable;
using Cluster.Errors;
using Cluster.Inference;
using Cluster.Models;
using Cluster.Tensors;

namespace Cluster.Routing;

/// <summary>
/// Checks a request against a version's signature before any compute, so every client mistake
/// comes back as a clear 400 instead of an ONNX Runtime error.
/// </summary>
public static class InferenceRequestValidator
{
    /// <summary>Throws <see cref="InvalidInferenceRequestException"/> naming the first problem found.</summary>
    public static void Validate(InferenceRequest request, ModelSignature signature, int maxBatchSize)
    {
        if (request.Inputs.IsDefaultOrEmpty) throw Invalid($"The request has no inputs; the model's inputs are {Described(signature.Inputs)}.");
        long? rows = null;
        // Requests name a handful of inputs: a scan of the array costs less than a set allocated per request.
        for (var i = 0; i < request.Inputs.Length; i++)
        {
            var input = request.Inputs[i];
            if (IndexOf(request.Inputs, input.Name) != i) throw Invalid($"Input '{input.Name}' is given twice.");
            var spec = signature.FindInput(input.Name)
                ?? throw Invalid($"Unknown input '{input.Name}'; the model's inputs are {Names(signature.Inputs)}.");
            ValidateTensor(input, spec);
            if (maxBatchSize > 0)
            {
                var inputRows = input.Shape[0];
                if (inputRows < 1) throw Invalid($"Input '{input.Name}' has no rows (dimension 0 is 0).");
                if (inputRows > maxBatchSize) throw Invalid($"Input '{input.Name}' has {inputRows} rows; this model takes at most {maxBatchSize} per request (max_batch_size).");
                if (rows is not null && rows != inputRows) throw Invalid($"Inputs disagree on the batch dimension: {rows} and {inputRows} rows.");
                rows = inputRows;
            }
        }
        foreach (var spec in signature.Inputs)
        {
            if (IndexOf(request.Inputs, spec.Name) < 0) throw Invalid($"Missing input {Described([spec])}.");
        }
        ValidateOutputs(request.RequestedOutputs, signature);
    }

    private static void ValidateTensor(TensorData input, TensorSpec spec)
    {
        if (input.DataType != spec.DataType)
        {
            throw Invalid($"Input '{input.Name}' has datatype {input.DataType.ProtocolName()}; the model expects {spec.DataType.ProtocolName()}.");
        }
        if (input.Shape.Length != spec.Shape.Length)
        {
            throw Invalid($"Input '{input.Name}' has shape {ShapeMath.Format(input.Shape.AsSpan())} (rank {input.Shape.Length}); the model expects {ShapeMath.Format(spec.Shape.AsSpan())} (rank {spec.Shape.Length}).");
        }
        for (var i = 0; i < spec.Shape.Length; i++)
        {
            var dim = input.Shape[i];
            if (dim < 0 || (spec.Shape[i] >= 0 && dim != spec.Shape[i]))
            {
                throw Invalid($"Input '{input.Name}' has shape {ShapeMath.Format(input.Shape.AsSpan())}; the model expects {ShapeMath.Format(spec.Shape.AsSpan())} (dimension {i} differs).");
            }
        }
        long expectedBytes;
        try
        {
            if (input.DataType == TensorDataType.Bytes)
            {
                BytesTensor.Validate(input.Name, input.Data, input.ElementCount);
                return;
            }
            expectedBytes = checked(input.ElementCount * input.DataType.ElementSize());
        }
        catch (OverflowException)
        {
            throw Invalid($"Input '{input.Name}' has shape {ShapeMath.Format(input.Shape.AsSpan())}, which is too large.");
        }
        if (input.Data.LongLength != expectedBytes)
        {
            throw Invalid($"Input '{input.Name}' carries {input.Data.LongLength / Math.Max(1, input.DataType.ElementSize())} elements; shape {ShapeMath.Format(input.Shape.AsSpan())} needs {input.ElementCount}.");
        }
    }

    private static void ValidateOutputs(ImmutableArray<string> requested, ModelSignature signature)
    {
        if (requested.IsDefaultOrEmpty) return;
        for (var i = 0; i < requested.Length; i++)
        {
            var name = requested[i];
            if (requested.IndexOf(name, StringComparer.Ordinal) != i) throw Invalid($"Output '{name}' is requested twice.");
            if (signature.FindOutput(name) is null) throw Invalid($"Unknown output '{name}'; the model's outputs are {Names(signature.Outputs)}.");
        }
    }

    private static int IndexOf(ImmutableArray<TensorData> inputs, string name)
    {
        for (var i = 0; i < inputs.Length; i++)
        {
            if (string.Equals(inputs[i].Name, name, StringComparison.Ordinal)) return i;
        }
        return -1;
    }

    private static string Names(ImmutableArray<TensorSpec> specs) => string.Join(", ", specs.Select(s => $"'{s.Name}'"));

    /// <summary>Inputs as a caller must send them: name, datatype and shape, e.g. <c>'x' (FP32 [-1,4])</c>.</summary>
    private static string Described(IEnumerable<TensorSpec> specs) =>
        string.Join(", ", specs.Select(s => $"'{s.Name}' ({s.DataType.ProtocolName()} {ShapeMath.Format(s.Shape.AsSpan())})"));

    private static InvalidInferenceRequestException Invalid(string message) => new(message);
}
