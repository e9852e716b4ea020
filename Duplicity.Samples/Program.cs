using Duplicity.Samples;

Gen0Budget.Start();
return await ConsoleApp.RunAsync(args, Console.Out, Console.Error);
