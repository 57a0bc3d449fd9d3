extern alias silo;
using Cluster.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Shouldly;
using silo::Cluster.Silo.Hosting;

namespace Cluster.Tests.Unit;

public sealed class DirectoryCacheSizeTests
{
    [Fact]
    public async Task ASiloSizesOrleansDirectoryCacheForItsOwnGrainsNotForAMillion()
    {
        await using var app = Build();

        var cacheSize = app.Services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value.CacheSize;

        cacheSize.ShouldBe(new SiloSettings().DirectoryCacheSize);
        cacheSize.ShouldBeLessThan(GrainDirectoryOptions.DEFAULT_CACHE_SIZE);
    }

    [Fact]
    public async Task TheDirectoryCacheSizeCanBeConfigured()
    {
        await using var app = Build("--Silo:DirectoryCacheSize=5000");

        app.Services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value.CacheSize.ShouldBe(5000);
    }

    [Fact]
    public void ADirectoryCacheTooSmallToHoldAClustersGrainsIsRefused() =>
        Should.Throw<System.ComponentModel.DataAnnotations.ValidationException>(() => Build("--Silo:DirectoryCacheSize=10"))
            .Message.ShouldContain("DirectoryCacheSize");

    private static Microsoft.AspNetCore.Builder.WebApplication Build(params string[] extra)
    {
        using var repository = new TemporaryRepository();
        return SiloApplication.Build([
            $"--Gateway:Urls=http://127.0.0.1:{FreePorts.Next()}", $"--Gateway:GrpcUrls=http://127.0.0.1:{FreePorts.Next()}",
            $"--Silo:SiloPort={FreePorts.Next()}", $"--Silo:GatewayPort={FreePorts.Next()}",
            $"--Models:Repository={repository.Root}", "--Models:WriteDemoModel=false", "--Inference:Device=cpu", .. extra]);
    }
}
