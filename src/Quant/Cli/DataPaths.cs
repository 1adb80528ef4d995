namespace Quant.Cli;

/// <summary>
/// Where the shipped sample data lives. Commands default to <c>data/BTCUSDT_1h_2024.csv</c> relative to the current
/// directory (a fresh clone's root); run from elsewhere, the repository holding the executable is tried next.
/// </summary>
internal static class DataPaths
{
    public const string Relative = "data/BTCUSDT_1h_2024.csv";

    public static string Default
    {
        get
        {
            if (File.Exists(Relative))
            {
                return Relative;
            }

            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, Relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            return Relative;
        }
    }
}
