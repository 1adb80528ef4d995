namespace Quant.Cli;

/// <summary>
/// Where a relative <c>--data</c> path is looked for: first the current directory (so <c>data/...</c> works from the
/// repository root, as every example is written); if nothing is there, the repository the executable was built in
/// (the nearest folder above the executable holding <c>Quant.sln</c>), so that <c>quant backtest</c> still finds the
/// shipped data when run from elsewhere, e.g. a published <c>.quant/quant</c> or a test's working directory. An absolute
/// path, or one that exists where the user is, is used as given; a path found nowhere is returned as given, so that the
/// loader's error names what the user typed.
/// </summary>
internal static class DataPaths
{
    /// <summary>The default data, as users write it: BTCUSDT hourly candles of 2024, shipped in data/.</summary>
    public const string Relative = "data/BTCUSDT_1h_2024.csv";

    /// <summary><see cref="Relative"/>, resolved by <see cref="Resolve(string)"/>.</summary>
    public static string Default => Resolve(Relative);

    public static string Resolve(string path) => Resolve(path, Directory.GetCurrentDirectory(), AppContext.BaseDirectory);

    /// <summary><see cref="Resolve(string)"/> with explicit folders (tests).</summary>
    public static string Resolve(string path, string currentDirectory, string executableDirectory)
    {
        if (path.Length == 0 || Path.IsPathRooted(path) || Exists(Path.Combine(currentDirectory, path)))
        {
            return path;
        }

        var repo = RepositoryOf(executableDirectory);
        if (repo is null)
        {
            return path;
        }

        var candidate = Path.Combine(repo, path);
        return Exists(candidate) ? candidate : path;
    }

    /// <summary>The nearest folder at or above <paramref name="directory"/> holding <c>Quant.sln</c>; null when none.</summary>
    public static string? RepositoryOf(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Quant.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    /// <summary>A file, a folder, or a glob whose folder exists (wildcards are only allowed in the file name).</summary>
    public static bool Exists(string path)
    {
        if (path.AsSpan().IndexOfAny('*', '?') < 0)
        {
            return File.Exists(path) || Directory.Exists(path);
        }

        var dir = Path.GetDirectoryName(path);
        return string.IsNullOrEmpty(dir) || Directory.Exists(dir);
    }
}
