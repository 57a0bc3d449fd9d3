using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Cluster.Onnx;

namespace Cluster.Tests.FakeTime;

/// <summary>
/// A deterministic model runtime behind <see cref="IModelSessionFactory"/>, in place of ONNX Runtime.
/// An artifact is one line of text (<see cref="Scale"/>, <see cref="Failing"/>); every fake model takes
/// <c>x</c> FP32 [-1,-1] and answers <c>y = x × scale</c>. Tests hold a model's batches at a gate to
/// keep them computing, and read which batches ran (model, version, shape) and which sessions are open.
/// Artifacts are found by path, laid out as <c>…/model/version/file</c> as the artifact store keeps them.
/// A batch reports as its compute time the time <paramref name="clock"/> moved while it ran (at its gate).
/// </summary>
public sealed class FakeModelRuntime(string silo, TimeProvider clock) : IModelSessionFactory
{
    private const string Prefix = "fake-model ";
    // A test that forgets to release a gate fails its batch instead of hanging the run.
    internal static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private readonly ConcurrentQueue<FakeBatch> _batches = new();
    private readonly ConcurrentDictionary<string, FakeGate> _gates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _openSessions = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();
    private TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The silo this runtime serves (each silo of a cluster gets its own).</summary>
    public string Silo => silo;

    /// <summary>The silo's clock, which times the batches.</summary>
    public TimeProvider Clock => clock;

    /// <summary>An artifact whose model multiplies its input by <paramref name="factor"/>.</summary>
    public static byte[] Scale(float factor) => Encoding.UTF8.GetBytes(Prefix + "scale " + factor.ToString(CultureInfo.InvariantCulture));

    /// <summary>An artifact that loads and warms up but fails every batch, as a model broken on real inputs does.</summary>
    public static byte[] Failing() => Encoding.UTF8.GetBytes(Prefix + "fail");

    /// <summary>Batches of <paramref name="model"/> that reached the runtime, in the order they started.</summary>
    public IReadOnlyList<FakeBatch> Batches(string model) => [.. _batches.Where(b => b.Model == model)];

    /// <summary>Sessions of <paramref name="model"/> version <paramref name="version"/> loaded and not yet disposed.</summary>
    public int OpenSessions(string model, string version) => _openSessions.GetValueOrDefault(Key(model, version));

    /// <summary>Holds every batch of <paramref name="model"/> (after recording it) until the gate is released or disposed.</summary>
    public FakeGate Hold(string model)
    {
        var gate = new FakeGate();
        _gates[model] = gate;
        return gate;
    }

    /// <summary>Completes once <paramref name="count"/> batches of <paramref name="model"/> have started.</summary>
    public async Task WaitForBatches(string model, int count)
    {
        while (true)
        {
            Task started;
            lock (_sync)
            {
                if (Batches(model).Count >= count) return;
                started = _started.Task;
            }
            await started.WaitAsync(HangGuard);
        }
    }

    public IModelSession Load(string path, string? device)
    {
        var text = File.ReadAllText(path);
        if (!text.StartsWith(Prefix, StringComparison.Ordinal)) throw new ModelSessionException($"{path} is not a fake model.");
        var words = text[Prefix.Length..].Split(' ');
        var version = Path.GetFileName(Path.GetDirectoryName(path))!;
        var model = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(path)))!;
        float? scale = words[0] == "scale" ? float.Parse(words[1], CultureInfo.InvariantCulture) : null;
        _openSessions.AddOrUpdate(Key(model, version), 1, (_, n) => n + 1);
        return new FakeModelSession(this, model, version, scale);
    }

    internal void Started(FakeBatch batch)
    {
        TaskCompletionSource started;
        lock (_sync)
        {
            _batches.Enqueue(batch);
            started = _started;
            _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        started.SetResult();
    }

    internal void WaitAtGate(string model)
    {
        if (_gates.TryGetValue(model, out var gate) && !gate.Wait(HangGuard))
        {
            throw new ModelSessionException($"The fake runtime held a batch of {model} for {HangGuard.TotalSeconds} s; a test did not release its gate.");
        }
    }

    internal void Disposed(string model, string version) => _openSessions.AddOrUpdate(Key(model, version), 0, (_, n) => n - 1);

    private static string Key(string model, string version) => model + "/" + version;
}
