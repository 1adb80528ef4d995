using Spectre.Console;

namespace Quant.Cli;

/// <summary>
/// Spectre.Console consoles over a command's output writer. Colour and ANSI only when the writer is the real console
/// attached to a terminal; otherwise (redirected, piped, tests' StringWriter) plain text at a fixed width, so that output
/// is the same on every machine.
/// </summary>
internal static class Terminal
{
    /// <summary>Width used when the output is not a terminal: wide enough that tables never wrap a cell (tables take only
    /// the width they need), so that scripts and tests see one row per line.</summary>
    public const int PlainWidth = 200;

    public static IAnsiConsole For(TextWriter writer)
    {
        var terminal = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = PlainWidth;
        }

        return console;
    }
}
