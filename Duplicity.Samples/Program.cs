using Duplicity.Samples;

MallocTuning.Apply();
Gen0Budget.Start();
return await ConsoleApp.RunAsync(args, Console.Out, Console.Error);
