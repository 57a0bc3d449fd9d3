using System.Collections.Immutable;
using Cluster.Bandits;
using Cluster.Grains;
using Microsoft.Extensions.Logging;

namespace Cluster.Routing;

/// <summary>Once a second, off the request path: bandit assignments to the bandit, shadow comparisons to their statistics grains.</summary>
public sealed partial class RouterGrain
{
    private void StartHousekeeping() =>
        _housekeeping ??= this.RegisterGrainTimer(Housekeeping, new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)) { Interleave = true, KeepAlive = false });

    /// <summary>Every second: shadow comparisons to their statistics grains, bandit assignments to the bandit.</summary>
    private async Task Housekeeping(CancellationToken cancellationToken)
    {
        if (_assignments.Count > 0)
        {
            ImmutableArray<BanditAssignment> assignments = [.. _assignments];
            _assignments.Clear();
            try
            {
                await Bandit.Assign(assignments);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Feedback for these requests will find no assignment and be counted as unmatched.
                LogHousekeepingFailed(logger, Model, "bandit assignments", ex.Message);
            }
        }
        foreach (var (version, delta) in _shadows.TakeDeltas())
        {
            try
            {
                await GrainFactory.GetGrain<IShadowStatsGrain>(GrainKeys.Version(Model, version)).Push(delta);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Comparisons are statistics: losing one second of them beats blocking the router.
                LogHousekeepingFailed(logger, Model, $"shadow {version} comparisons", ex.Message);
            }
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // What the last second saw would otherwise go with the activation.
        await Housekeeping(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Router of {Model} could not deliver {What}: {Reason}")]
    private static partial void LogHousekeepingFailed(ILogger logger, string model, string what, string reason);
}
