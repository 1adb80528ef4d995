namespace Trading.Sim.Tests.Support;

/// <summary>The repository root (the folder holding Quant.sln above the test binaries) and the built quant.dll.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The quant.dll built in the same configuration as these tests.</summary>
    public static string QuantDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                ? "Debug"
                : "Release";
            return Path.Combine(Root, "src", "Quant", "bin", configuration, "net10.0", "quant.dll");
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Quant.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Quant.sln not found above " + AppContext.BaseDirectory);
    }
}
