using Cluster.Tests.Support;
using Microsoft.ML.OnnxRuntime;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class TestModelsTests
{
    [Fact]
    public void TheBatchProbeReportsItsBatchRowsAndEchoesItsInput()
    {
        using var repository = new TemporaryRepository();
        var path = repository.Add("probe", "1", TestModels.BatchProbe());

        var outputs = DirectOnnx.RunFloat(path, "x", [1f, 2, 3, 4, 5, 6], [3, 2]);

        outputs["y"].ShouldBe([1f, 2, 3, 4, 5, 6]);
        outputs["batch"].ShouldBe([3f, 3f, 3f]);
    }

    [Fact]
    public void TheLookupModelFailsOnAnIndexOutOfRange()
    {
        using var repository = new TemporaryRepository();
        using var session = new InferenceSession(repository.Add("lookup", "1", TestModels.Lookup()));
        using var good = OrtValue.CreateTensorValueFromMemory(new long[] { 2, 0 }, [2, 1]);
        using var bad = OrtValue.CreateTensorValueFromMemory(new long[] { 7 }, [1, 1]);
        using var runOptions = new RunOptions();

        using (var results = session.Run(runOptions, ["idx"], [good], ["out"]))
        {
            results[0].GetTensorDataAsSpan<float>().ToArray().ShouldBe([30f, 10f]);
        }
        Should.Throw<OnnxRuntimeException>(() => session.Run(runOptions, ["idx"], [bad], ["out"]));
    }

    [Fact]
    public void TheSlowAndFailingCanariesAnswerLikeScaleOnGoodInputs()
    {
        using var repository = new TemporaryRepository();
        var slow = repository.Add("slow", "1", TestModels.SlowScale(2f, layers: 3));
        var failing = repository.Add("failing", "1", TestModels.FailingScale(2f));

        DirectOnnx.RunFloat(slow, "x", [1f, -2, 0.5f, 4], [2, 2])["y"].ShouldBe([2f, -4, 1, 8]);
        DirectOnnx.RunFloat(failing, "x", [1f, -2, 2.5f, 4], [2, 2])["y"].ShouldBe([2f, -4, 5, 8]);
        Should.Throw<OnnxRuntimeException>(() => DirectOnnx.RunFloat(failing, "x", [1f, 1, 5, 5], [2, 2]));
    }

    [Fact]
    public void TheStringsModelEchoesEncodesAndNamesItsWords()
    {
        using var repository = new TemporaryRepository();
        var path = repository.Add("strings", "1", TestModels.Strings());

        var (strings, longs) = DirectOnnx.RunStrings(path, "text", ["cat", "", "poisson 🐟", "unknown", "Ω≈ç√", "chien"], [3, 2]);

        strings["echo"].ShouldBe(["cat", "", "poisson 🐟", "unknown", "Ω≈ç√", "chien"]);
        longs["ids"].ShouldBe([1L, 0, 3, -1, 4, 2]);
        strings["names"].ShouldBe(["CAT", "(empty)", "FISH", "?", "MATH", "DOG"]);
    }
}
