using System.Net;
using Cluster.Client;
using Cluster.Tensors;
using Cluster.Tests.Support;
using Shouldly;
using static Cluster.Tests.EndToEnd.HttpJson;

namespace Cluster.Tests.EndToEnd;

public sealed class TlsTests
{
    [Fact]
    public async Task TheGatewayServesHttpsAndSilosAndClientsTalkMutualTls()
    {
        using var certificate = new SelfSignedCertificate();
        using var repository = new TemporaryRepository();
        repository.Add("pair", "1", TestModels.Scale(2f));
        var httpsPort = FreePorts.Next();
        var grpcsPort = FreePorts.Next();
        await using var silo = await SiloProcess.StartAsync(repository.Root, waitForReady: false,
            "--Inference:Device=cpu", "--Models:WriteDemoModel=false",
            $"--Gateway:Urls=https://127.0.0.1:{httpsPort}", $"--Gateway:GrpcUrls=https://127.0.0.1:{grpcsPort}",
            $"--Tls:CertificatePath={certificate.Path}", $"--Tls:CertificatePassword={SelfSignedCertificate.Password}",
            "--Tls:Cluster=true", "--Tls:AllowUntrustedPeers=true");

        // Trust exactly this certificate, as a client pinning it would.
        using var https = new HttpClient(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Certificate.Thumbprint,
        }) { BaseAddress = new Uri($"https://127.0.0.1:{httpsPort}") };
        await Poll.Until(async () => await TryGet(https, "/v2/health/ready") == HttpStatusCode.OK, silo);
        var (status, body) = await Post(https, "/v2/models/pair/infer", new { inputs = new[] { Tensor("x", "FP32", [1, 2], new[] { 1f, 2f }) } });
        status.ShouldBe(HttpStatusCode.OK);
        Floats(body.GetProperty("outputs")[0]).ShouldBe([2f, 4f]);

        using (var plain = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpsPort}") })
        {
            (await TryGet(plain, "/v2/health/ready")).ShouldNotBe(HttpStatusCode.OK, "plain HTTP to the HTTPS port gets nothing served");
        }

        await using var client = await InferenceClient.ConnectAsync(new InferenceClientOptions
        {
            GatewayPorts = [silo.GatewayPort],
            TlsCertificatePath = certificate.Path,
            TlsCertificatePassword = SelfSignedCertificate.Password,
            TlsAllowUntrustedServer = true,
        });
        var answer = await client.InferAsync("pair", [TensorData.From<float>("x", [3f, -1f], 1, 2)]);
        answer.Outputs[0].ToArray<float>().ShouldBe([6f, -2f]);

        // From outside the cluster: HTTPS for management, gRPC over TLS for inference; an untrusted certificate is refused unless allowed.
        var gateway = new Uri($"https://127.0.0.1:{httpsPort}");
        await Should.ThrowAsync<HttpRequestException>(() => InferenceClient.ConnectAsync(gateway, apiKey: null));
        await using (var remote = await InferenceClient.ConnectAsync(gateway, apiKey: null, new GatewayClientOptions { AllowUntrustedServer = true, GrpcUrl = new Uri($"https://127.0.0.1:{grpcsPort}") }))
        {
            (await remote.InferAsync("pair", [TensorData.From<float>("x", [0.5f, 4f], 1, 2)])).Outputs[0].ToArray<float>().ShouldBe([1f, 8f]);
            (await remote.GetModelAsync("pair")).Versions.Single().Status.ShouldBe(Models.VersionStatus.Ready);
        }

        // A client without a certificate cannot even connect.
        await Should.ThrowAsync<Exception>(async () =>
        {
            await using var stranger = await InferenceClient.ConnectAsync(new InferenceClientOptions { GatewayPorts = [silo.GatewayPort], ConnectTimeout = TimeSpan.FromSeconds(3) });
            await stranger.InferAsync("pair", [TensorData.From<float>("x", [3f, -1f], 1, 2)]);
        });
    }

    private static async Task<HttpStatusCode?> TryGet(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(path);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            // Not listening yet, or the connection was refused (plain HTTP to an HTTPS port).
            return null;
        }
    }
}
