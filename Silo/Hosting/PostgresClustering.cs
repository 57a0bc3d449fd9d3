using System.Net;
using Cluster.Hosting;
using Cluster.Models;
using Orleans.Configuration;
using Orleans.Storage;

namespace Cluster.Silo.Hosting;

/// <summary>Cluster mode: membership, grain state and reminders in PostgreSQL through Orleans' ADO.NET providers.</summary>
internal static class PostgresClustering
{
    /// <summary>ADO.NET invariant Orleans loads Npgsql by.</summary>
    public const string Invariant = "Npgsql";

    public static ISiloBuilder UsePostgres(this ISiloBuilder orleans, ClusterSettings cluster, SiloSettings silo, string connectionString)
    {
        orleans.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = cluster.ClusterId;
            o.ServiceId = cluster.ServiceId;
        });
        // Failure detection is tunable per deployment (Cluster:Membership:ProbeTimeout, NumMissedProbesLimit, ...).
        orleans.Configure<ClusterMembershipOptions>(orleans.Configuration.GetSection(ClusterSettings.SectionName + ":Membership"));
        orleans.ConfigureEndpoints(IPAddress.Parse(silo.AdvertisedAddress), silo.SiloPort, silo.GatewayPort, silo.ListenOnAnyAddress);
        orleans.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });
        // Orleans' own binary format: our state types are [GenerateSerializer], immutable collections included.
        orleans.AddAdoNetGrainStorage(ModelStorage.Name, options => options.Configure<Orleans.Serialization.Serializer>((o, serializer) =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));
        orleans.UseAdoNetReminderService(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });
        orleans.AddPostgresArtifactStore(connectionString);
        // In a pod, advertise the pod IP and take the cluster ids from the pod's labels and environment.
        if (cluster.Kubernetes) orleans.UseKubernetesHosting();
        return orleans;
    }
}
