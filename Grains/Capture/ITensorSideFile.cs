namespace Cluster.Capture;

/// <summary>
/// A capture store that keeps tensors' bytes raw beside the record lines rather than in them as base64: the writer hands each
/// tensor's bytes to it while formatting, and the line names where they went (<see cref="CaptureRecordJson.RawAtMember"/>).
/// At full capture of large tensors, base64 in the line cost the silo's core a third more bytes to write and a copy more
/// than the bytes alone (docs/BENCHMARKS.md).
/// </summary>
public interface ITensorSideFile
{
    /// <summary>
    /// Appends a tensor's bytes to the side file of the record's model and day and returns their offset in it; null when this
    /// store cannot place them now (another store holds the folder), and the line carries them as base64.
    /// </summary>
    long? Place(string model, DateTimeOffset completedAt, ReadOnlySpan<byte> bytes);
}
