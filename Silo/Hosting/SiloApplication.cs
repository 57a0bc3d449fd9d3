using Cluster.Hosting;
using Cluster.Models;
using Cluster.Placement;
using Cluster.Silo.Alerts;
using Cluster.Silo.ApiDescription;
using Cluster.Silo.Capture;
using Cluster.Silo.Cost;
using Cluster.Silo.Database;
using Cluster.Silo.Gateway;
using Cluster.Silo.Inference;
using Cluster.Silo.Management;
using Cluster.Silo.Observability;
using Cluster.Silo.Quality;
using Cluster.Silo.Security;
using Cluster.Silo.Traffic;
using Orleans.Configuration;

namespace Cluster.Silo.Hosting;

/// <summary>Builds the silo process: Orleans, the inference grains and, with the gateway role, the HTTP API.</summary>
public static class SiloApplication
{
    /// <summary>Builds the application from standard configuration (appsettings, environment, command line).</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var cluster = Bind<ClusterSettings>(builder.Configuration, ClusterSettings.SectionName);
        var silo = Bind<SiloSettings>(builder.Configuration, SiloSettings.SectionName);
        var gateway = Bind<GatewaySettings>(builder.Configuration, GatewaySettings.SectionName);
        var security = Bind<SecuritySettings>(builder.Configuration, SecuritySettings.SectionName);
        var tls = Bind<TlsSettings>(builder.Configuration, TlsSettings.SectionName);
        var certificate = tls.Load();
        var keysRequired = security.KeysRequired(cluster.IsPostgres);
        var roles = silo.ParsedRoles;
        var dashboard = builder.Configuration.GetValue("Dashboard:Enabled", true);
        var telemetry = Bind<TelemetrySettings>(builder.Configuration, TelemetrySettings.SectionName);

        builder.Services.AddReceiveBlocks();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = gateway.MaxRequestBodyBytes;
            GatewayEndpoints.Listen(kestrel, gateway, certificate, roles.HasFlag(SiloRoles.Gateway));
        });
        // Hosted services start in registration order: the schema must exist before Orleans joins the cluster.
        if (cluster.IsPostgres && cluster.InitializeDatabase) builder.Services.AddHostedService<DatabaseInitializer>();
        builder.UseOrleans(orleans =>
        {
            ConfigureClustering(orleans, cluster, silo, builder.Configuration.GetConnectionString(ClusterSettings.ConnectionStringName));
            // A caller that gives up (timeout or disconnect) cancels its request, so queued work is dropped.
            orleans.Configure<SiloMessagingOptions>(o => o.CancelRequestOnTimeout = true);
            orleans.Configure<GrainDirectoryOptions>(o => o.CacheSize = silo.DirectoryCacheSize);
            // Grain calls carry the caller's W3C trace context, so one request's spans on several silos form one trace.
            if (telemetry.GrainCallsTraced) orleans.AddActivityPropagation();
            orleans.AddInferenceGrains(roles.HasFlag(SiloRoles.Inference), silo.Accelerators ?? SiloAccelerators.Detect());
            // The dashboard reads every Orleans gauge once a second (fixed in 10.4.2); silos that need every cycle can go without.
            if (dashboard) orleans.AddClusterDashboard();
            if (tls.Cluster) orleans.UseClusterTls(tls, certificate);
            if (roles.HasFlag(SiloRoles.Inference)) orleans.AddModelRepository();
        });

        builder.AddObservability(telemetry);
        builder.Services.AddInference(gateway);
        builder.Services.AddSecurity(security, keysRequired, gateway: roles.HasFlag(SiloRoles.Gateway));
        builder.Services.AddGateway(gateway);
        builder.Services.AddCapture();
        if (roles.HasFlag(SiloRoles.Gateway)) builder.Services.AddApiDescription();
        var app = builder.Build();
        YoungGenerationCheck.Report(app.Logger);
        app.UseTraceparentResponse();
        app.UseGatewayErrors();
        app.UseSecurity(keysRequired, gateway: roles.HasFlag(SiloRoles.Gateway));
        app.MapObservability(gateway: roles.HasFlag(SiloRoles.Gateway), dashboard);
        if (roles.HasFlag(SiloRoles.Gateway))
        {
            app.MapInference();
            app.MapManagement();
            app.MapTraffic();
            app.MapCapture();
            app.MapQuality();
            app.MapCost();
            app.MapAlertWebhooks();
            app.MapApiDescription();
        }
        return app;
    }

    private static void ConfigureClustering(ISiloBuilder orleans, ClusterSettings cluster, SiloSettings silo, string? connectionString)
    {
        if (cluster.IsPostgres)
        {
            orleans.UsePostgres(cluster, silo, connectionString
                ?? throw new InvalidOperationException($"Cluster:Provider=Postgres needs ConnectionStrings:{ClusterSettings.ConnectionStringName}."));
            return;
        }
        if (!string.Equals(cluster.Provider, "Localhost", StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException($"Cluster:Provider '{cluster.Provider}' is unknown; use Localhost or Postgres.");
        }
        var primary = cluster.PrimarySiloPort is { } port ? new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port) : null;
        orleans.UseLocalhostClustering(silo.SiloPort, silo.GatewayPort, primary, cluster.ServiceId, cluster.ClusterId);
        orleans.AddMemoryGrainStorage(ModelStorage.Name);
        // Rollouts run on reminders; in one process they live as long as the silo, like the rest of the embedded state.
        orleans.UseInMemoryReminderService();
    }

    private static T Bind<T>(IConfiguration configuration, string section) where T : new()
    {
        var settings = configuration.GetSection(section).Get<T>() ?? new T();
        System.ComponentModel.DataAnnotations.Validator.ValidateObject(settings, new(settings), validateAllProperties: true);
        return settings;
    }
}
