using Duplicity.Samples;

return await ConsoleApp.RunAsync(args, Console.Out, Console.Error);
