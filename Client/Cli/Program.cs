return await Cluster.Cli.CliApp.RunAsync(args, Console.Out, Console.Error);
