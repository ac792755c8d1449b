using InternetMonitor.AppHost;

return await AppHostCommand.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
