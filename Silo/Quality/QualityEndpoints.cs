using Cluster.Errors;
using Cluster.Grains;
using Cluster.Models;
using Cluster.Quality;
using Cluster.Repository;
using Cluster.Silo.Gateway;

namespace Cluster.Silo.Quality;

/// <summary><c>GET /api/models/{m}/quality[?window=total]</c>: per version with a quality config, how right its labelled predictions were.</summary>
internal static class QualityEndpoints
{
    public static void Map(IEndpointRouteBuilder read)
    {
        read.MapGet("/api/models/{model}/quality", async (HttpContext http, IGrainFactory grains, string model, string? window) =>
        {
            if (!ModelNames.IsValid(model)) throw new ModelNotFoundException($"Unknown model '{model}'.");
            var report = await grains.GetGrain<IQualityGrain>(model).GetReport(window ?? QualityReport.Total);
            await JsonResults.Write(http.Response, StatusCodes.Status200OK, Body(report), QualityJsonContext.Default.QualityBody);
        });
    }

    internal static QualityBody Body(QualityReport report) => new(report.Window, [.. report.Versions.Select(v => new VersionBody(
        v.Version,
        v.Task == QualityTask.Classification ? "classification" : "regression",
        v.Labelled,
        v.Accuracy,
        v.Task == QualityTask.Classification ? [.. v.Classes.Select(c => new ClassBody(c.Class, c.Name, c.Support, c.Precision, c.Recall, c.F1))] : null,
        v.Task == QualityTask.Classification ? [.. v.Confusion.Select(c => new ConfusionBody(c.Actual, c.Predicted, c.Count))] : null,
        v.ExpectedCalibrationError,
        v.Mae,
        v.Rmse,
        v.MeanError,
        [.. v.Segments.Select(s => new SegmentBody(s.Segment, s.Labelled, s.Accuracy, s.Mae, s.PositiveRate, s.TruePositiveRate))],
        v.PositiveRateDisparity,
        v.TruePositiveRateDisparity))]);

    internal sealed record QualityBody(string Window, VersionBody[] Versions);

    /// <summary>A version's figures; those of the other task are left out (null members are not written).</summary>
    internal sealed record VersionBody(string Version, string Task, long Labelled, double? Accuracy, ClassBody[]? Classes, ConfusionBody[]? Confusion,
        double? ExpectedCalibrationError, double? Mae, double? Rmse, double? MeanError, SegmentBody[] Segments,
        double? PositiveRateDisparity, double? TruePositiveRateDisparity);

    internal sealed record ClassBody(int Class, string? Name, long Support, double Precision, double Recall, double F1);

    internal sealed record ConfusionBody(int Actual, int Predicted, long Count);

    internal sealed record SegmentBody(string Segment, long Labelled, double? Accuracy, double? Mae, double? PositiveRate, double? TruePositiveRate);
}
