namespace Cluster.Cli.Loadtest;

/// <summary>Sends one prepared inference request; throws when it fails (the runner counts it).</summary>
public interface IInferenceSender : IAsyncDisposable
{
    Task SendAsync(CancellationToken cancellationToken);
}
