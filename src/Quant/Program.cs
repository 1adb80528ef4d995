namespace Quant;

internal static class Program
{
    private static int Main(string[] args) => QuantCli.Run(args);
}
