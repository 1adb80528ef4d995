using System.Reflection;
using Quant.Bench.Infrastructure;

// dotnet run -c Release --project bench/Quant.Bench -- NAME [args]
var benches = typeof(IBench).Assembly.GetTypes()
    .Where(t => !t.IsAbstract && typeof(IBench).IsAssignableFrom(t))
    .Select(t => (IBench)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

if (args.Length == 0 || args[0] is "-h" or "--help" or "list")
{
    Console.WriteLine("usage: Quant.Bench NAME [args]");
    foreach (var b in benches)
    {
        Console.WriteLine($"  {b.Name,-14} {b.Description}");
    }

    return args.Length == 0 ? 2 : 0;
}

var bench = benches.FirstOrDefault(b => b.Name == args[0]);
if (bench is null)
{
    Console.Error.WriteLine($"unknown benchmark '{args[0]}'; known: {string.Join(", ", benches.Select(b => b.Name))}");
    return 2;
}

return bench.Run(args[1..]);
