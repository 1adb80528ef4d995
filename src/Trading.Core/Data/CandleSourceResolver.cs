using System.IO.Enumeration;

namespace Trading.Core.Data;

/// <summary>
/// Turns what the user typed (a file, a folder, or a glob) into the CSV texts to read. A zip contributes each of its
/// <c>.csv</c> entries. Folders and globs take only <c>.csv</c> and <c>.zip</c> files (so that Binance's
/// <c>.CHECKSUM</c> files next to them are left alone), in ordinal name order; the loader then orders them by
/// their first candle time. A file named explicitly is read whatever its extension (as a zip when it ends in <c>.zip</c>).
/// </summary>
internal static class CandleSourceResolver
{
    public static List<CandleSource> Resolve(string pathOrGlob)
    {
        if (string.IsNullOrWhiteSpace(pathOrGlob))
        {
            throw new CandleDataException("(no path)", 0, "no data path given");
        }

        var sources = new List<CandleSource>();
        if (File.Exists(pathOrGlob))
        {
            AddFile(sources, pathOrGlob);
            return sources;
        }

        List<string> files;
        if (Directory.Exists(pathOrGlob))
        {
            files = ListData(pathOrGlob, "*");
            if (files.Count == 0)
            {
                throw new CandleDataException(pathOrGlob, 0, "the folder has no .csv or .zip files");
            }
        }
        else if (pathOrGlob.AsSpan().IndexOfAny('*', '?') >= 0)
        {
            string dir = Path.GetDirectoryName(pathOrGlob) ?? "";
            string pattern = Path.GetFileName(pathOrGlob);
            if (dir.AsSpan().IndexOfAny('*', '?') >= 0)
            {
                throw new CandleDataException(pathOrGlob, 0, "wildcards are supported in the file name only, not in folder names");
            }

            if (dir.Length > 0 && !Directory.Exists(dir))
            {
                throw new CandleDataException(pathOrGlob, 0, $"no such folder '{dir}'");
            }

            files = ListData(dir, pattern);
            if (files.Count == 0)
            {
                throw new CandleDataException(pathOrGlob, 0, "no .csv or .zip file matches");
            }
        }
        else
        {
            throw new CandleDataException(pathOrGlob, 0, "no such file or folder");
        }

        foreach (string f in files)
        {
            AddFile(sources, f);
        }

        return sources;
    }

    private static List<string> ListData(string dir, string pattern)
    {
        var names = new List<string>();
        foreach (string full in Directory.EnumerateFiles(dir.Length == 0 ? "." : dir))
        {
            string name = Path.GetFileName(full);
            if ((IsZip(name) || name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                && FileSystemName.MatchesSimpleExpression(pattern, name, ignoreCase: false))
            {
                names.Add(name);
            }
        }

        names.Sort(StringComparer.Ordinal);
        // Keep the folder as the user wrote it, so that messages name files the way the user would.
        return names.ConvertAll(n => dir.Length == 0 ? n : Path.Combine(dir, n));
    }

    private static bool IsZip(string path) => path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);

    private static void AddFile(List<CandleSource> sources, string path)
    {
        if (!IsZip(path))
        {
            sources.Add(CandleSource.File(path));
            return;
        }

        using var zip = CandleSource.OpenZip(path);
        var entries = new List<string>();
        foreach (var e in zip.Entries)
        {
            if (e.FullName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            {
                entries.Add(e.FullName);
            }
        }

        if (entries.Count == 0)
        {
            throw new CandleDataException(path, 0, "the archive has no .csv entry");
        }

        entries.Sort(StringComparer.Ordinal);
        foreach (string e in entries)
        {
            sources.Add(CandleSource.ZipEntry(path, e));
        }
    }
}
