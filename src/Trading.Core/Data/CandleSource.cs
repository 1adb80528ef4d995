using System.IO.Compression;

namespace Trading.Core.Data;

/// <summary>
/// One CSV text to read: a plain file, or one <c>.csv</c> entry of a zip archive (read through
/// <see cref="System.IO.Compression"/>, never extracted to disk).
/// </summary>
internal sealed class CandleSource
{
    private readonly Func<Stream>? _open;

    private CandleSource(string path, string? entryName, Func<Stream>? open = null)
    {
        Path = path;
        EntryName = entryName;
        Name = entryName is null ? path : path + "!" + entryName;
        _open = open;
    }

    /// <summary>The file as the user named it (or as a folder/glob expanded to it).</summary>
    public string Path { get; }

    /// <summary>The entry's full name inside the archive; null for a plain file.</summary>
    public string? EntryName { get; }

    /// <summary>How messages name it: <c>path</c> or <c>path!entry</c>.</summary>
    public string Name { get; }

    public static CandleSource File(string path) => new(path, null);

    public static CandleSource ZipEntry(string path, string entryName) => new(path, entryName);

    /// <summary>
    /// A text that is not a file (an embedded resource): <paramref name="open"/> returns a new stream, positioned at
    /// its start, on every call; the reader disposes it. <paramref name="name"/> is how messages name the source.
    /// </summary>
    public static CandleSource Opened(string name, Func<Stream> open) => new(name, null, open);

    /// <summary>Opens the text for sequential reading. Dispose the stream, then <paramref name="owner"/> (the archive).</summary>
    public Stream Open(out IDisposable? owner)
    {
        if (_open is not null)
        {
            owner = null;
            return _open();
        }

        if (EntryName is null)
        {
            owner = null;
            return OpenFile(Path, Name);
        }

        ZipArchive zip = OpenZip(Path);
        try
        {
            ZipArchiveEntry entry = zip.GetEntry(EntryName)
                ?? throw new CandleDataException(Name, 0, "the archive no longer has this entry");
            Stream s = entry.Open();
            owner = zip;
            return s;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            zip.Dispose();
            throw new CandleDataException(Name, 0, $"cannot read the archive entry: {e.Message}", e);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    /// <summary>Opens a zip archive for reading, with a <see cref="CandleDataException"/> (line 0) for any failure.</summary>
    public static ZipArchive OpenZip(string path)
    {
        Stream file = OpenFile(path, path);
        try
        {
            return new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: false);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            file.Dispose();
            throw new CandleDataException(path, 0, $"not a readable zip archive: {e.Message}", e);
        }
    }

    private static FileStream OpenFile(string path, string name)
    {
        try
        {
            // bufferSize 1 (no FileStream buffer): the CSV reader and the inflater buffer already.
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CandleDataException(name, 0, "no such file", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CandleDataException(name, 0, $"cannot open: {e.Message}", e);
        }
    }
}
