using System.Text;
using Cluster.Capture;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class CompleteLinesTests
{
    [Fact]
    public async Task OnlyLinesWhoseBreakIsWrittenAreRead()
    {
        var long1 = new string('a', 150_000);
        var long2 = new string('b', 70_000);
        var text = $"{long1}\n{long2}\nshort\n{{\"half\": \"writ";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));

        var lines = new List<string>();
        await foreach (var line in CompleteLines.ReadAsync(stream, TestContext.Current.CancellationToken)) lines.Add(line);

        lines.ShouldBe([long1, long2, "short"], "a line longer than the read buffer comes whole, and the unfinished last one not at all");
    }

    [Fact]
    public async Task AFileThatEndsWithItsLineBreakHasNoLeftover()
    {
        using var stream = new MemoryStream("one\ntwo\n"u8.ToArray());
        var lines = new List<string>();
        await foreach (var line in CompleteLines.ReadAsync(stream, TestContext.Current.CancellationToken)) lines.Add(line);
        lines.ShouldBe(["one", "two"]);
    }
}
