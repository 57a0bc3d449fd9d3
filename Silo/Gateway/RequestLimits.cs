using Cluster.Inference;
using Cluster.Tensors;

namespace Cluster.Silo.Gateway;

/// <summary>The gateway's size limits on a parsed inference request (the body size and JSON depth are enforced while reading).</summary>
internal static class RequestLimits
{
    public static void Check(InferenceRequest request, GatewaySettings limits, bool checkRows = true)
    {
        long total = 0;
        foreach (var input in request.Inputs)
        {
            var elements = ShapeMath.ElementCount(input.Shape.AsSpan());
            if (elements > limits.MaxElementsPerTensor)
            {
                throw HttpStatusException.TooLarge($"Input '{input.Name}' holds {elements} elements; the gateway accepts at most {limits.MaxElementsPerTensor} per tensor (Gateway:MaxElementsPerTensor).");
            }
            total += elements;
            if (checkRows && input.Shape.Length > 0 && input.Shape[0] > limits.MaxRowsPerRequest)
            {
                throw HttpStatusException.TooLarge($"Input '{input.Name}' carries {input.Shape[0]} rows; the gateway accepts at most {limits.MaxRowsPerRequest} per request (Gateway:MaxRowsPerRequest).");
            }
        }
        if (total > limits.MaxElementsPerRequest)
        {
            throw HttpStatusException.TooLarge($"The inputs hold {total} elements together; the gateway accepts at most {limits.MaxElementsPerRequest} per request (Gateway:MaxElementsPerRequest).");
        }
    }
}
