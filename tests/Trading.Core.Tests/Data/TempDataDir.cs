using System.IO.Compression;
using System.Text;

namespace Trading.Core.Tests.Data;

/// <summary>A private temporary folder of small data files, deleted at dispose.</summary>
internal sealed class TempDataDir : IDisposable
{
    public TempDataDir()
    {
        Root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "quant-data-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Path(string name) => System.IO.Path.Combine(Root, name);

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte order mark and returns the file's path.</summary>
    public string Write(string name, string text)
    {
        string p = Path(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(p)!);
        File.WriteAllText(p, text, new UTF8Encoding(false));
        return p;
    }

    /// <summary>Writes a zip holding <paramref name="entries"/> (name, text) and returns its path.</summary>
    public string WriteZip(string name, params (string Entry, string Text)[] entries)
    {
        string p = Path(name);
        using var zip = ZipFile.Open(p, ZipArchiveMode.Create);
        foreach (var (entry, text) in entries)
        {
            using var w = new StreamWriter(zip.CreateEntry(entry).Open(), new UTF8Encoding(false));
            w.Write(text);
        }

        return p;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test for.
        }
    }
}
