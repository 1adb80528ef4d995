using System.Net;
using System.Text;

namespace Trading.Backtest.Report;

/// <summary>
/// Assembles one self-contained HTML file: stylesheet, data island, scripts, all inline. The Content-Security-Policy
/// forbids every fetch (<c>default-src 'none'</c>), so the page provably needs no network and a stray URL would show
/// as a console error instead of a silent request.
/// </summary>
internal static class HtmlPage
{
    public static string Build(string title, string body, ReadOnlySpan<byte> json, IEnumerable<string> scripts)
    {
        var sb = new StringBuilder(json.Length + 256 * 1024);
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n")
          .Append("<meta name=\"generator\" content=\"quant\">\n")
          .Append("<title>").Append(WebUtility.HtmlEncode(title)).Append("</title>\n")
          .Append("<style>\n").Append(ReportAssets.Stylesheet).Append("</style>\n</head>\n<body>\n")
          .Append(body)
          // The data is JSON written with JavaScriptEncoder.Default: '<' is \u003C, so it cannot close this element.
          .Append("<script type=\"application/json\" id=\"quant-data\">").Append(Encoding.UTF8.GetString(json)).Append("</script>\n");
        foreach (var script in scripts)
        {
            sb.Append("<script>\n").Append(script).Append("\n</script>\n");
        }

        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>Writes to a temporary name and renames it into place, so a reader never sees half a report.</summary>
    public static void Write(string path, string html)
    {
        var full = Path.GetFullPath(path);
        if (Path.GetDirectoryName(full) is { Length: > 0 } dir)
        {
            Directory.CreateDirectory(dir);
        }

        var temp = full + ".tmp";
        try
        {
            File.WriteAllText(temp, html, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
