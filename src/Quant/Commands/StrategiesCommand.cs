using System.CommandLine;
using System.Text.Json;
using Quant.Cli;
using Spectre.Console;
using Trading.Core.Strategies;

namespace Quant.Commands;

/// <summary>
/// <c>quant strategies [--json] [--strategy-assembly PATH]</c>: the strategies available (built-in, then loaded ones) with
/// every parameter's name, kind, default, range, step and description, and the warm-up it declares at its defaults.
/// <c>--json</c> prints one object:
/// <c>{"strategies":[{"name","summary","warmup_candles","parameters":[{"name","kind","default","min","max","step","description"}]}]}</c>.
/// </summary>
internal static class StrategiesCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("strategies", "List the strategies and their parameters (name, kind, default, range, step)");
        var strategies = new StrategyOptions(context, "strategies", withStrategy: false);
        var json = CommonOptions.Json();
        strategies.AddTo(command);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var registry = strategies.Registry(parse);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                WriteJson(output, registry.All);
            }
            else
            {
                WriteTables(output, registry.All);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    internal static void WriteJson(TextWriter output, IReadOnlyList<StrategyDescriptor> strategies)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("strategies");
            foreach (var s in strategies)
            {
                w.WriteStartObject();
                w.WriteString("name", s.Name);
                w.WriteString("summary", s.Summary);
                w.WriteNumber("warmup_candles", s.WarmUpCandles(ParameterSet.Empty));
                w.WriteStartArray("parameters");
                foreach (var p in s.Parameters)
                {
                    w.WriteStartObject();
                    w.WriteString("name", p.Name);
                    w.WriteString("kind", Kind(p.Kind));
                    w.WriteNumber("default", p.Default);
                    w.WriteNumber("min", p.Min);
                    w.WriteNumber("max", p.Max);
                    w.WriteNumber("step", p.Step);
                    w.WriteString("description", p.Description);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    private static void WriteTables(TextWriter output, IReadOnlyList<StrategyDescriptor> strategies)
    {
        var console = Terminal.For(output);
        foreach (var s in strategies)
        {
            console.Write(new Markup($"[bold]{Markup.Escape(s.Name)}[/]  {Markup.Escape(s.Summary)}"));
            console.WriteLine();
            console.WriteLine($"  warm-up at the defaults: {s.WarmUpCandles(ParameterSet.Empty)} candles");
            if (s.Parameters.Count == 0)
            {
                console.WriteLine("  (no parameters)");
                console.WriteLine();
                continue;
            }

            var table = new Table().Border(TableBorder.Rounded);
            table.AddColumn("parameter");
            table.AddColumn("kind");
            table.AddColumn(new TableColumn("default").RightAligned());
            table.AddColumn(new TableColumn("min").RightAligned());
            table.AddColumn(new TableColumn("max").RightAligned());
            table.AddColumn(new TableColumn("step").RightAligned());
            table.AddColumn("description");
            foreach (var p in s.Parameters)
            {
                table.AddRow(
                    Markup.Escape(p.Name),
                    Kind(p.Kind),
                    ParameterSpec.Format(p.Default),
                    ParameterSpec.Format(p.Min),
                    ParameterSpec.Format(p.Max),
                    ParameterSpec.Format(p.Step),
                    Markup.Escape(p.Description));
            }

            console.Write(table);
            console.WriteLine();
        }
    }

    private static string Kind(ParameterKind kind) => kind == ParameterKind.Integer ? "integer" : "real";
}
