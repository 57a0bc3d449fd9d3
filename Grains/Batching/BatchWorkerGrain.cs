using System.Collections.Immutable;
using Cluster.Grains;
using Cluster.Inference;
using Cluster.Tensors;

namespace Cluster.Batching;

/// <summary>
/// Hands requests of one version to its replicas as <see cref="ReplicaBatch"/> messages. Each
/// request is sent as a batch of one for now; queueing several into one batch comes with the
/// dynamic batcher, and the message shape already allows it.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class BatchWorkerGrain : Grain, IBatchWorkerGrain
{
    private int _next;

    public async Task<ImmutableArray<TensorData>> Infer(InferenceRequest request, int replicas)
    {
        var (model, version, _) = GrainKeys.Parse(this.GetPrimaryKeyString());
        var batch = BatchAssembler.Join([request]);
        var index = (int)((uint)_next++ % (uint)Math.Max(1, replicas));
        var replica = GrainFactory.GetGrain<IReplicaGrain>(GrainKeys.Replica(model, version, index));
        var result = await replica.Run(batch);
        return BatchAssembler.Split(result.Outputs, batch.RowCounts)[0];
    }
}
