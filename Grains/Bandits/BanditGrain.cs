using System.Collections.Immutable;
using Cluster.Grains;
using Cluster.Models;

namespace Cluster.Bandits;

/// <summary>
/// Keeps a model's Exp3 weights and the recent request-to-arm assignments routers report, and
/// turns feedback into weight updates. Reentrant so that feedback which arrives before its
/// assignment (routers report about every second) can wait for it while assignments come in.
/// Assignments live in memory for an hour (at most <see cref="MaxAssignments"/>); weights and
/// reward totals persist, written at most every 10 seconds.
/// </summary>
[Reentrant]
public sealed class BanditGrain(
    [PersistentState("bandit", ModelStorage.Name)] IPersistentState<BanditState> state,
    TimeProvider time) : Grain, IBanditGrain
{
    private const int MaxAssignments = 200_000;
    private static readonly TimeSpan KeepAssignments = TimeSpan.FromHours(1);
    private static readonly TimeSpan WaitForAssignment = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan WriteEvery = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, (BanditAssignment Assignment, long At)> _assignments = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Dictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);
    private ImmutableArray<string> _arms = [];
    private BanditSettings _settings = new();
    private long _lastWrite;

    private Exp3 Exp3 => new(state.State.LogWeights);

    public Task<ImmutableDictionary<string, double>> GetProbabilities(ImmutableArray<string> arms, BanditSettings settings)
    {
        _arms = arms;
        _settings = settings;
        return Task.FromResult(Exp3.Probabilities(arms, settings.Exploration).ToImmutableDictionary(StringComparer.Ordinal));
    }

    public Task Assign(ImmutableArray<BanditAssignment> assignments)
    {
        var now = time.GetTimestamp();
        foreach (var assignment in assignments)
        {
            if (_assignments.TryAdd(assignment.RequestId, (assignment, now))) _order.Enqueue(assignment.RequestId);
            if (_waiting.Remove(assignment.RequestId, out var waiter)) waiter.TrySetResult();
        }
        // An id rewarded already left the map but not the queue: it is dropped from the queue's head like an expired one.
        while (_order.Count > 0 && (_order.Count > MaxAssignments || !_assignments.TryGetValue(_order.Peek(), out var oldest)
            || time.GetElapsedTime(oldest.At) > KeepAssignments))
        {
            _assignments.Remove(_order.Dequeue());
        }
        return Task.CompletedTask;
    }

    public async Task<bool> Feedback(string requestId, double reward)
    {
        if (!_assignments.ContainsKey(requestId))
        {
            if (!_waiting.TryGetValue(requestId, out var waiter)) _waiting[requestId] = waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await Task.WhenAny(waiter.Task, Task.Delay(WaitForAssignment, time));
            _waiting.Remove(requestId);
        }
        if (!_assignments.Remove(requestId, out var entry))
        {
            state.State.Unmatched++;
            return false;
        }
        Apply(entry.Assignment, reward);
        await WriteNowAndThen();
        return true;
    }

    public async Task<int> Rewards(ImmutableArray<BanditReward> rewards)
    {
        var applied = 0;
        foreach (var reward in rewards)
        {
            // Ground truth covers every served request, most of them never drawn by the bandit: no wait, and not "unmatched".
            if (!_assignments.Remove(reward.RequestId, out var entry)) continue;
            Apply(entry.Assignment, reward.Reward);
            applied++;
        }
        if (applied > 0) await WriteNowAndThen();
        return applied;
    }

    private void Apply(BanditAssignment assignment, double reward)
    {
        Exp3.Reward(assignment.Version, reward, assignment.Probability, _settings.Exploration, Math.Max(1, _arms.Length));
        var (count, sum) = state.State.Rewards.GetValueOrDefault(assignment.Version);
        state.State.Rewards[assignment.Version] = (count + 1, sum + reward);
        state.State.Matched++;
    }

    private async Task WriteNowAndThen()
    {
        if (time.GetElapsedTime(_lastWrite) < WriteEvery) return;
        _lastWrite = time.GetTimestamp();
        await state.WriteStateAsync();
    }

    public Task<BanditStatus> GetStatus()
    {
        var arms = _arms.IsEmpty ? [.. state.State.LogWeights.Keys] : _arms;
        var probabilities = Exp3.Probabilities(arms, _settings.Exploration);
        var status = arms.Select(a =>
        {
            var (count, sum) = state.State.Rewards.GetValueOrDefault(a);
            return new BanditArm(a, probabilities.GetValueOrDefault(a), count, sum);
        });
        return Task.FromResult(new BanditStatus([.. status], state.State.Matched, state.State.Unmatched));
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await state.WriteStateAsync(cancellationToken);
    }
}
