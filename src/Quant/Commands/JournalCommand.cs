using System.CommandLine;
using System.Globalization;
using Quant.Cli;
using Trading.Live.Journal;

namespace Quant.Commands;

/// <summary>
/// <c>quant journal show|export --journal PATH [--json]</c>: what a live run's journal holds — every order with its last
/// known state, every fill, the balance snapshots. <c>show</c> prints tables (or, with <c>--json</c>, one object);
/// <c>export --out DIR</c> writes orders.csv, fills.csv and snapshots.csv (or journal.json with <c>--json</c>). Reading
/// never takes the journal's lock, so it works while <c>quant live</c> is writing it. A missing file is a usage error
/// naming the flag (exit 2); a file that is not a journal exits 1.
/// </summary>
internal static class JournalCommand
{
    public static Command Create(CliContext context)
    {
        _ = context;
        var command = new Command("journal", "Show or export a live run's journal (orders, fills, snapshots)");
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Export());
        return command;
    }

    private static Option<string> JournalOption() => new("--journal")
    {
        Description = "The journal file (SQLite) a `quant live` run wrote",
        Required = true,
    };

    private static Command Show()
    {
        var command = new Command("show", "Print the journal's orders, fills and snapshots");
        var journal = JournalOption();
        var json = CommonOptions.Json();
        command.Options.Add(journal);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(journal)!;
            var state = Load(path);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                output.WriteLine(JournalJson.Write(path, state));
            }
            else
            {
                JournalText.Write(output, path, state);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Export()
    {
        var command = new Command("export", "Write the journal's orders, fills and snapshots as CSV files (or one JSON file)");
        var journal = JournalOption();
        var json = CommonOptions.Json();
        var outDir = new Option<string>("--out") { Description = "Folder to write into (created if needed)", Required = true };
        command.Options.Add(journal);
        command.Options.Add(outDir);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(journal)!;
            var state = Load(path);
            var dir = parse.GetValue(outDir)!;
            try
            {
                Directory.CreateDirectory(dir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw CliException.Usage($"--out {dir}: cannot create the folder ({e.Message})");
            }

            var written = parse.GetValue(json)
                ? [JournalJson.WriteFile(Path.Combine(dir, "journal.json"), path, state)]
                : JournalCsv.WriteFiles(dir, state);
            var output = parse.InvocationConfiguration.Output;
            foreach (var file in written)
            {
                output.WriteLine(file);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Loads <paramref name="path"/>, turning the reader's errors into the CLI's one-line errors.</summary>
    internal static JournalState Load(string path)
    {
        try
        {
            return JournalReader.Load(path);
        }
        catch (FileNotFoundException)
        {
            throw CliException.Usage($"--journal {path}: no such journal");
        }
        catch (JournalFormatException e)
        {
            throw new CliException(ExitCodes.Failure, e.Message);
        }
    }

    internal static string Dec(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
