using InternetMonitor.Probe.Hosting;

return await ProbeProgram.RunAsync(args).ConfigureAwait(false);
