extern alias silo;
using Shouldly;
using silo::Cluster.Silo.Capture;

namespace Cluster.Tests.Unit;

public sealed class BatchSchedulingTests
{
    // /proc/thread-self/stat's 41st field is the thread's scheduling policy; fields are counted after the command name's
    // closing parenthesis (the name may hold spaces), where the third field begins.
    private static int PolicyOfThisThread()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[41 - 3]);
    }

    [Fact]
    public void TheCallingThreadAloneMovesToTheBatchClass()
    {
        var (applied, policy) = (false, -1);
        var thread = new Thread(() =>
        {
            applied = BatchScheduling.TryApplyToCurrentThread();
            policy = PolicyOfThisThread();
        });
        thread.Start();
        thread.Join();

        applied.ShouldBeTrue();
        policy.ShouldBe(3, "SCHED_BATCH");
        PolicyOfThisThread().ShouldBe(0, "the test's own thread stays SCHED_OTHER");
    }
}
