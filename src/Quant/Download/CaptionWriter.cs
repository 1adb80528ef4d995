using System.Text;
using Spectre.Console;

namespace Quant.Download;

/// <summary>
/// A <see cref="TextWriter"/> that shows each line written as the caption of a Spectre.Console progress task, so that
/// <see cref="KlineDownloader"/>'s progress lines become the bar's text on a terminal. Only whole lines are shown.
/// </summary>
internal sealed class CaptionWriter(ProgressTask task) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        if (value == '\n')
        {
            task.Description = Markup.Escape(_line.ToString());
            _line.Clear();
        }
        else if (value != '\r')
        {
            _line.Append(value);
        }
    }
}
