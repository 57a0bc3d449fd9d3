using System.Security.Cryptography;
using Cluster.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cluster.Artifacts;

/// <summary>
/// Cluster mode: artifacts in the <c>cluster_artifacts</c> table, keyed by SHA-256, cached on each
/// silo's disk. Downloads are verified against the hash and land atomically (temp file + move),
/// so concurrent loads of the same artifact on one machine are safe.
/// </summary>
public sealed partial class PostgresArtifactStore(IOptions<ArtifactOptions> options, ILogger<PostgresArtifactStore> logger) : IArtifactStore
{
    private readonly ArtifactOptions _options = options.Value;

    private string ConnectionString => _options.ConnectionString ?? throw new InvalidOperationException("Artifacts:ConnectionString is not set.");

    public async Task<(string Path, string Sha256)> StoreAsync(string model, string version, byte[] onnx, string fileName, CancellationToken cancellationToken = default)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(onnx));
        Directory.CreateDirectory(_options.CacheDirectory);
        // Content-addressed: the cache names bytes by hash whatever they hold, so another silo finds them where GetLocalPathAsync looks.
        var cached = Path.Combine(_options.CacheDirectory, sha256 + ".onnx");
        await AtomicFile.WriteAsync(cached, onnx, cancellationToken);
        await PublishAsync(new VersionRegistration(version, cached, sha256, ModelConfig.Default), cancellationToken);
        return (cached, sha256);
    }

    // Content-addressed bytes may back other versions or models, so they stay.
    public Task RemoveAsync(string model, VersionRegistration registration, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public async Task<bool> ExistsAsync(VersionRegistration registration, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM cluster_artifacts WHERE sha256 = @sha", connection);
        exists.Parameters.AddWithValue("sha", registration.Sha256);
        return await exists.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task PublishAsync(VersionRegistration registration, CancellationToken cancellationToken = default)
    {
        if (await ExistsAsync(registration, cancellationToken)) return;
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var bytes = await File.ReadAllBytesAsync(registration.ArtifactPath, cancellationToken);
        await using var insert = new NpgsqlCommand(
            "INSERT INTO cluster_artifacts (sha256, size_bytes, content) VALUES (@sha, @size, @content) ON CONFLICT (sha256) DO NOTHING", connection);
        insert.Parameters.AddWithValue("sha", registration.Sha256);
        insert.Parameters.AddWithValue("size", (long)bytes.Length);
        insert.Parameters.AddWithValue("content", bytes);
        await insert.ExecuteNonQueryAsync(cancellationToken);
        LogPublished(logger, registration.Sha256, bytes.Length);
    }

    public async Task<string> GetLocalPathAsync(VersionRegistration registration, CancellationToken cancellationToken = default)
    {
        var cached = Path.Combine(_options.CacheDirectory, registration.Sha256 + ".onnx");
        if (File.Exists(cached)) return cached;
        Directory.CreateDirectory(_options.CacheDirectory);
        var bytes = await Download(registration.Sha256, cancellationToken);
        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (actual != registration.Sha256) throw new InvalidDataException($"Artifact {registration.Sha256} arrived with hash {actual}; refusing to load it.");
        await AtomicFile.WriteAsync(cached, bytes, cancellationToken);
        LogCached(logger, registration.Sha256, cached);
        return cached;
    }

    private async Task<byte[]> Download(string sha256, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var select = new NpgsqlCommand("SELECT content FROM cluster_artifacts WHERE sha256 = @sha", connection);
        select.Parameters.AddWithValue("sha", sha256);
        return await select.ExecuteScalarAsync(cancellationToken) as byte[]
            ?? throw new FileNotFoundException($"Artifact {sha256} is not in the cluster's artifact store.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Published artifact {Sha256} ({Bytes} bytes) to the cluster store")]
    private static partial void LogPublished(ILogger logger, string sha256, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cached artifact {Sha256} at {Path}")]
    private static partial void LogCached(ILogger logger, string sha256, string path);
}
