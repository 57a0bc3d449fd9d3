using Cluster.Silo.Database;
using Cluster.Silo.Hosting;

// `Silo init-db --ConnectionStrings:Postgres=...` creates or upgrades the cluster-mode schema and exits.
if (args.Length > 0 && args[0] == "init-db")
{
    return await DatabaseCommands.InitDb(args[1..]);
}

var app = SiloApplication.Build(args);
await app.RunAsync();
return 0;
