using System.Collections.Immutable;
using Cluster.Models;
using Cluster.Routing;
using Shouldly;

namespace Cluster.Tests.Unit;

public sealed class RoutingTableTests
{
    private static readonly ModelSignature Signature = new([], []);

    private static ModelVersionInfo Version(string version, VersionStatus status) =>
        new(version, status, null, status == VersionStatus.Ready ? Signature : null, null, new VersionRegistration(version, "", "", ModelConfig.Default), Replicas: 1);

    private static ModelInfo Model(TrafficPolicy? traffic, params ModelVersionInfo[] versions) =>
        new("m", 1, versions.LastOrDefault(v => v.Status == VersionStatus.Ready)?.Version, [.. versions],
            ImmutableDictionary<string, string>.Empty.Add("canary", "3"), traffic);

    private static TrafficPolicy Split(bool sticky, params (string Key, double Weight)[] weights) =>
        new(weights.ToImmutableDictionary(w => w.Key, w => w.Weight, StringComparer.Ordinal), sticky);

    [Fact]
    public void WithoutASplitEveryRequestGoesToTheDefault()
    {
        var table = new RoutingTable(Model(null, Version("1", VersionStatus.Ready)), null);

        table.Pick("user", new Random(1)).ShouldBe((null, 0.0));
    }

    [Fact]
    public void ArmsThatDoNotServeTakeNoTrafficAndLabelsResolve()
    {
        var info = Model(Split(sticky: false, ("1", 50), ("2", 30), ("canary", 20)),
            Version("1", VersionStatus.Ready), Version("2", VersionStatus.Unloaded), Version("3", VersionStatus.Ready));
        var table = new RoutingTable(info, null);
        var random = new Random(7);

        var picks = Enumerable.Range(0, 7000).Select(_ => table.Pick(null, random).Version).ToArray();

        picks.ShouldNotContain("2");
        picks.Count(p => p == "3").ShouldBeInRange(1700, 2300, "20 of the 70 serving weight points");
    }

    [Fact]
    public void AStickySplitKeepsARoutingKeyOnItsArm()
    {
        var table = new RoutingTable(Model(Split(sticky: true, ("1", 50), ("3", 50)), Version("1", VersionStatus.Ready), Version("3", VersionStatus.Ready)), null);

        var first = table.Pick("user-42", new Random(1)).Version;

        Enumerable.Range(2, 50).Select(seed => table.Pick("user-42", new Random(seed)).Version).ShouldAllBe(v => v == first);
    }

    [Fact]
    public void ABanditSplitsByItsProbabilitiesAndTellsTheDrawnArmsProbability()
    {
        var info = Model(Split(sticky: true, ("1", 50), ("3", 50)), Version("1", VersionStatus.Ready), Version("3", VersionStatus.Ready));
        var table = new RoutingTable(info, ImmutableDictionary<string, double>.Empty.Add("1", 0.25).Add("3", 0.75));

        var (version, probability) = table.Pick("user-42", new Random(3));

        probability.ShouldBe(version == "1" ? 0.25 : 0.75, 1e-12);
    }

    [Fact]
    public void OnlyServingShadowsAreMirrored()
    {
        var traffic = new TrafficPolicy(ImmutableDictionary<string, double>.Empty, Sticky: false, [new ShadowTarget("2", 0.5), new ShadowTarget("canary", 1)]);
        var table = new RoutingTable(Model(traffic, Version("1", VersionStatus.Ready), Version("2", VersionStatus.Failed), Version("3", VersionStatus.Ready)), null);

        table.Shadows.Select(s => (s.Entry.Version, s.Fraction)).ShouldBe([("3", 1.0)]);
    }
}
