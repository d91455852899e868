using Climux.Cli;

return await CliApp.RunAsync(args, CliContext.ForConsole());
