using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Quant.Cli;
using Spectre.Console;
using Trading.Backtest.Engine;
using Trading.Backtest.Results;
using Trading.Core.Data;
using Trading.Core.Market;
using Trading.Core.Strategies;
using Trading.Optimizer;
using Trading.Optimizer.Backtesting;
using Trading.Optimizer.Objectives;
using Trading.Optimizer.Output;
using Trading.Optimizer.Running;
using Trading.Optimizer.Search;
using Trading.Optimizer.Space;
using Trading.Optimizer.WalkForward;
using Trading.Study;

namespace Quant.Commands;

/// <summary>
/// <c>quant optimize</c>: many backtests of one strategy over a parameter space (grid, random or TPE search) on a pool
/// of worker threads, ranked by an objective; optionally walk-forward. The market data is loaded once and shared
/// read-only; each run gets its own strategy instance. Output is identical, row for row, for any <c>--threads</c>.
/// Ctrl-C stops the sweep and reports the best runs finished so far (exit code 130).
/// </summary>
internal static class OptimizeCommand
{
    private static readonly Option<string[]> Grid = new("--grid", "-g") { Description = "Swept parameter: name=start:stop:step (inclusive), name=a,b,c, or name (its declared range); repeatable" };
    private static readonly Option<string[]> Where = new("--where", "-w") { Description = "Constraint over parameter names, e.g. \"fast < slow\" (&& || ! < <= > >= == != + - * /); repeatable, all must hold" };
    private static readonly Option<string> SearchKind = new("--search") { Description = "Search method: grid, random or tpe", DefaultValueFactory = _ => "grid" };
    private static readonly Option<int> Samples = new("--samples") { Description = "Random search: number of distinct points", DefaultValueFactory = _ => 100 };
    private static readonly Option<int> Trials = new("--trials") { Description = "TPE search: number of trials", DefaultValueFactory = _ => 100 };
    private static readonly Option<int> Batch = new("--batch") { Description = "TPE search: trials proposed together from earlier batches' results", DefaultValueFactory = _ => 8 };
    private static readonly Option<int> Seed = new("--seed") { Description = "Seed of the random and TPE searches", DefaultValueFactory = _ => 1 };
    private static readonly Option<int> Threads = new("--threads", "-j") { Description = "Worker threads (default: all cores)", DefaultValueFactory = _ => Environment.ProcessorCount };
    private static readonly Option<string> ObjectiveName = new("--objective") { Description = "Objective: sharpe, sortino, calmar, return, profit-factor, max-drawdown or win-rate", DefaultValueFactory = _ => "sharpe" };
    private static readonly Option<int> MinTrades = new("--min-trades") { Description = "Discard runs with fewer closed trades", DefaultValueFactory = _ => 0 };
    private static readonly Option<int> Top = new("--top") { Description = "Rows in the table and the JSON top list", DefaultValueFactory = _ => 10 };
    private static readonly Option<int?> WalkForward = new("--walk-forward") { Description = "K rolling windows: optimise in-sample, test the winner out-of-sample" };
    private static readonly Option<double> TrainRatio = new("--train-ratio") { Description = "Walk-forward: in-sample share of each window", DefaultValueFactory = _ => 0.7 };
    private static readonly Option<string?> Out = new("--out", "-o") { Description = "Write results.csv (every run) into this folder" };
    private static readonly Option<bool> Json = new("--json") { Description = "Print one JSON object instead of the table" };
    private static readonly Option<string?> Report = ReportOption.Create("optimize");
    private static readonly Option<string?> Heatmap = OptimizeReport.CreateHeatmapOption();
    private static readonly Option<string?> StudyUrlOption = new("--study") { Description = "Shared study in PostgreSQL (postgresql://user@host:port/db): create it or join it, and work on it; see docs/shared-study.md" };
    private static readonly Option<string?> StudyName = new("--study-name") { Description = "Study: its name in the database" };
    private static readonly Option<bool> StudyWorkerOnly = new("--worker") { Description = "Study: only work on an existing study (waits --wait for it), exit 0 when no trial is left" };
    private static readonly Option<string> StudyWait = new("--wait") { Description = "Study, --worker: how long to wait for the study to be created", DefaultValueFactory = _ => "60s" };
    private static readonly Option<string> StudyHeartbeat = new("--heartbeat") { Description = "Study: a claimed trial whose worker is silent this long returns to the queue", DefaultValueFactory = _ => "10s" };
    private static readonly Option<bool> StudyStatusOnly = new("--status") { Description = "Study: print trials done/running/queued, workers alive and the best so far, then exit" };
    private static readonly Option<bool> StudyVerbose = new("--log-trials") { Description = "Study: one line on stderr per trial claimed, finished or returned to the queue" };

    public static Command Create(CliContext context)
    {
        var strategy = new StrategyOptions(context, "optimize");
        var data = new DataOptions(context, "optimize");
        var command = new Command("optimize", "Run many backtests over a parameter grid, random sample or TPE search, in parallel, and rank them");
        strategy.AddTo(command);
        data.AddTo(command);
        var fill = new FillModelOptions();
        fill.AddTo(command);
        foreach (var option in new Option[]
        {
            Grid, Where, SearchKind, Samples, Trials, Batch, Seed, Threads, ObjectiveName, MinTrades, Top, WalkForward, TrainRatio, Out, Json, Report, Heatmap,
            StudyUrlOption, StudyName, StudyWorkerOnly, StudyWait, StudyHeartbeat, StudyStatusOnly, StudyVerbose,
        })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse => Run(parse, strategy, data, fill));
        return command;
    }

    private static int Run(ParseResult parse, StrategyOptions strategy, DataOptions data, FillModelOptions fill)
    {
        if (parse.GetValue(StudyUrlOption) is { } studyUrl)
        {
            return RunStudy(parse, strategy, data, fill, studyUrl);
        }

        var output = parse.InvocationConfiguration.Output;
        var errors = parse.InvocationConfiguration.Error;
        var choice = strategy.Resolve(parse);
        var request = Usage(() => Request.From(parse, choice, fill));
        var html = ReportOption.Path(parse, Report, "optimize", parse.GetValue(Out));
        var axes = html is null ? default : OptimizeReport.Axes(request.Space, parse.GetValue(Heatmap));

        var (series, first) = data.LoadWithHistory(parse);
        if (first == series.Candles.Length)
        {
            throw CliException.BadData($"no candles in {data.Path(parse)} between --from and --to");
        }

        // Walk-forward windows cover the range; each window's winner warms up on its training candles. A plain sweep
        // keeps the history before --from so that every run takes its own declared warm-up from it.
        var all = series.Candles;
        var candles = first == 0 ? all : all[first..];

        var windows = request.WalkForward is int k ? Usage(() => WalkForwardPlan.Create(candles.Length, k, request.TrainRatio)) : null;

        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c =>
        {
            c.Cancel = true; // keep the process: report what finished
            stop.Cancel();
        });
        var progress = new ProgressCounter();
        var settings = new RunSettings { Threads = request.Threads, Cancel = stop.Token, Progress = progress };
        var display = request.Json ? ProgressMode.None : ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected ? ProgressMode.Bar : ProgressMode.Lines;

        if (windows is not null)
        {
            var report = WithProgress(display, progress, errors, () =>
                WalkForwardRunner.Run(candles, request.Space, request.NewSearch, request.Objective, request.MinTrades, request.Options, windows, settings));
            PrintWalkForward(parse, request, report, candles);
            if (html is not null)
            {
                var title = $"{request.Space.Strategy.Name} on {ReportOption.Title(data.Path(parse))}";
                ReportOption.Write(parse, html, p => Trading.Backtest.Report.HtmlReport.WriteOptimization(p, OptimizeReport.FromWalkForward(request.Space, report, candles, axes, title, request.SearchName)));
            }
            return report.Canceled ? ExitCodes.Canceled : ExitCodes.Ok;
        }

        var evaluator = new BacktestEvaluator(all, request.Space.Strategy, request.Options, first);
        var result = WithProgress(display, progress, errors, () =>
            SearchRunner.Run(request.Search!, evaluator.Evaluate, r => Scoring.Score(request.Objective, r.Metrics, request.MinTrades), settings));
        if (parse.GetValue(Out) is { } dir)
        {
            ResultsCsv.Write(Path.Combine(dir, "results.csv"), result.Trials);
        }

        Print(parse, request, result);
        if (html is not null)
        {
            var title = $"{request.Space.Strategy.Name} on {ReportOption.Title(data.Path(parse))}";
            ReportOption.Write(parse, html, p => Trading.Backtest.Report.HtmlReport.WriteOptimization(p, OptimizeReport.FromSearch(request.Space, result, request.Objective, axes, title, request.SearchName, request.Top)));
        }
        return result.Canceled ? ExitCodes.Canceled : ExitCodes.Ok;
    }

    /// <summary>
    /// <c>--study URL --study-name NAME</c>: the sweep as a shared study in PostgreSQL (Trading.Study). Without
    /// <c>--worker</c> this process creates or joins the study, works on it with the other workers until no trial is
    /// left, and prints, writes and reports the study's results exactly as a single-process run would; with
    /// <c>--worker</c> it only works; with <c>--status</c> it only prints progress.
    /// </summary>
    private static int RunStudy(ParseResult parse, StrategyOptions strategy, DataOptions data, FillModelOptions fill, string url)
    {
        var output = parse.InvocationConfiguration.Output;
        var errors = parse.InvocationConfiguration.Error;
        var name = parse.GetValue(StudyName) is { Length: > 0 } n ? n : throw CliException.Usage("--study needs --study-name NAME");
        var location = StudyCall(() => StudyUrl.Parse(url));
        var heartbeat = StudyDuration(parse.GetValue(StudyHeartbeat)!, "--heartbeat");
        using var store = StudyStore.Open(location);
        if (parse.GetValue(StudyStatusOnly))
        {
            var status = StudyCall(() => store.Status(name, heartbeat)) ?? throw CliException.BadData($"no study '{name}' at {location}");
            output.WriteLine(parse.GetValue(Json) ? status.ToJson() : StatusLine(status));
            return ExitCodes.Ok;
        }

        var worker = parse.GetValue(StudyWorkerOnly);
        var wait = StudyDuration(parse.GetValue(StudyWait)!, "--wait");
        var given = parse.CommandResult.Children.OfType<System.CommandLine.Parsing.OptionResult>().Where(r => !r.Implicit).ToArray();
        if (worker && !given.Any(r => !StudyRunOptions.Contains(r.Option)))
        {
            // A bare worker: the study's own arguments, then this process's study and output options.
            var stored = StudyCall(() => store.WaitForArguments(name, wait, CancellationToken.None));
            var again = parse.CommandResult.Command.Parse([.. stored, .. Tokens(given)]);
            if (again.Errors.Count > 0)
            {
                throw CliException.Usage($"study '{name}': its stored arguments do not parse here: {again.Errors[0].Message}");
            }

            return RunStudy(again, strategy, data, fill, url);
        }

        var choice = strategy.Resolve(parse);
        var request = Usage(() => Request.From(parse, choice, fill));
        if (request.WalkForward is not null)
        {
            throw CliException.Usage("--walk-forward does not work with --study");
        }

        var html = worker ? null : ReportOption.Path(parse, Report, "optimize", parse.GetValue(Out));
        var axes = html is null ? default : OptimizeReport.Axes(request.Space, parse.GetValue(Heatmap));
        var (series, first) = data.LoadWithHistory(parse);
        if (first == series.Candles.Length)
        {
            throw CliException.BadData($"no candles in {data.Path(parse)} between --from and --to");
        }

        var all = series.Candles;
        var seed = parse.GetValue(Seed).ToString(CultureInfo.InvariantCulture);
        var setup = new StudySetup
        {
            Definition = new StudyDefinition
            {
                Strategy = request.Space.Strategy.Name,
                Parameters = request.Space.Base.ToString(),
                Space = request.Space.ToString() + string.Concat(request.Space.Constraints.Select(c => $" where {c.Text}")),
                Objective = Scoring.Name(request.Objective),
                MinTrades = request.MinTrades,
                Search = request.SearchName switch
                {
                    "random" => $"random samples={parse.GetValue(Samples)} seed={seed}",
                    "tpe" => $"tpe trials={parse.GetValue(Trials)} batch={parse.GetValue(Batch)} seed={seed}",
                    var k => k,
                },
                Data = $"{StudyDefinition.HashCandles(all)} candles={all.Length} first={first}",
                Fill = request.Options.ToString(),
            },
            Space = request.Space,
            NewSearch = () => request.NewSearch(request.Space),
            Arguments = Tokens(given.Where(r => !StudyRunOptions.Contains(r.Option)), data.Data),
        };

        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });
        var study = StudyCall(() => worker ? store.WaitFor(name, setup, wait, stop.Token) : store.CreateOrJoin(name, setup));
        var progress = new ProgressCounter();
        var settings = new WorkerSettings
        {
            Threads = request.Threads,
            Heartbeat = heartbeat,
            Cancel = stop.Token,
            Progress = progress,
            Log = parse.GetValue(StudyVerbose) ? TextWriter.Synchronized(errors) : null,
        };
        var display = request.Json || worker ? ProgressMode.None : ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected ? ProgressMode.Bar : ProgressMode.Lines;
        var evaluator = new BacktestEvaluator(all, request.Space.Strategy, request.Options, first);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var mine = WithProgress(display, progress, errors, () =>
            StudyCall(() => StudyWorker.Run(store, study, evaluator.Evaluate, r => Scoring.Score(request.Objective, r.Metrics, request.MinTrades), settings)));
        if (worker)
        {
            errors.WriteLine(string.Create(CultureInfo.InvariantCulture, $"study {name}: this worker finished {mine} trials{(stop.IsCancellationRequested ? " (canceled)" : "; no trial is left")}"));
            return stop.IsCancellationRequested ? ExitCodes.Canceled : ExitCodes.Ok;
        }

        var result = new OptimizationResult<RunMetrics>
        {
            Trials = StudyCall(() => store.Results(study)),
            Canceled = stop.IsCancellationRequested,
            Elapsed = clock.Elapsed,
            Threads = request.Threads,
        };
        if (parse.GetValue(Out) is { } dir)
        {
            ResultsCsv.Write(Path.Combine(dir, "results.csv"), result.Trials);
        }

        Print(parse, request, result);
        if (html is not null)
        {
            var title = $"{request.Space.Strategy.Name} on {ReportOption.Title(data.Path(parse))}";
            ReportOption.Write(parse, html, p => Trading.Backtest.Report.HtmlReport.WriteOptimization(p, OptimizeReport.FromSearch(request.Space, result, request.Objective, axes, title, request.SearchName, request.Top)));
        }

        return result.Canceled ? ExitCodes.Canceled : ExitCodes.Ok;
    }

    /// <summary>Options that are not part of a study's definition (how this process runs and what it prints).</summary>
    private static readonly HashSet<Option> StudyRunOptions =
        [StudyUrlOption, StudyName, StudyWorkerOnly, StudyWait, StudyHeartbeat, StudyStatusOnly, StudyVerbose, Threads, Out, Json, Report, Heatmap, Top];

    /// <summary>Given options back as arguments, one "--name value" pair per value; the data file as an absolute path.</summary>
    private static string[] Tokens(IEnumerable<System.CommandLine.Parsing.OptionResult> given, Option? dataOption = null)
    {
        var args = new List<string>();
        foreach (var r in given)
        {
            var flag = r.IdentifierToken?.Value ?? r.Option.Name;
            if (r.Tokens.Count == 0)
            {
                args.Add(flag);
            }

            foreach (var t in r.Tokens)
            {
                args.Add(flag);
                args.Add(ReferenceEquals(r.Option, dataOption) && File.Exists(t.Value) ? Path.GetFullPath(t.Value) : t.Value);
            }
        }

        return [.. args];
    }

    private static T StudyCall<T>(Func<T> f)
    {
        try
        {
            return f();
        }
        catch (StudyException e)
        {
            throw new CliException(ExitCodes.Failure, e.Message);
        }
    }

    private static TimeSpan StudyDuration(string text, string flag)
    {
        try
        {
            return LiveCommand.ParseDuration(text);
        }
        catch (CliException)
        {
            throw CliException.Usage($"{flag}: expected a positive duration such as 10s, 500ms or 2m, got '{text}'");
        }
    }

    internal static string StatusLine(StudyStatus s)
    {
        var best = s.BestTrial is int t
            ? string.Create(CultureInfo.InvariantCulture, $"best trial {t}: {s.Objective} {Num(s.BestValue ?? double.NaN)} ({s.BestParameters})")
            : "no trial kept yet";
        return string.Create(CultureInfo.InvariantCulture,
            $"study {s.Study} ({s.Search}, {s.Objective}): {s.Done} done, {s.Running} running, {s.Queued} queued, {s.WorkersAlive} workers alive{(s.Finished ? ", finished" : "")}; {best}");
    }

    private static T Usage<T>(Func<T> f)
    {
        try
        {
            return f();
        }
        catch (OptimizerException e)
        {
            throw CliException.Usage(e.Message);
        }
    }

    private static T WithProgress<T>(ProgressMode mode, ProgressCounter progress, TextWriter errors, Func<T> work)
    {
        if (mode == ProgressMode.None)
        {
            return work();
        }

        var task = Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (mode == ProgressMode.Bar)
        {
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RunsColumn(progress, clock), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var bar = ctx.AddTask("optimize");
                    while (!task.Wait(100))
                    {
                        bar.MaxValue = Math.Max(1, progress.Planned);
                        bar.Value = progress.Done;
                    }

                    bar.MaxValue = Math.Max(1, progress.Planned);
                    bar.Value = progress.Done;
                });
        }
        else
        {
            // Not a terminal: a plain line on stderr every few seconds for long sweeps, nothing for short ones.
            while (!task.Wait(TimeSpan.FromSeconds(5)))
            {
                errors.WriteLine(ProgressLine(progress, clock.Elapsed.TotalSeconds));
            }
        }

        return task.GetAwaiter().GetResult();
    }

    internal static string ProgressLine(ProgressCounter progress, double seconds)
    {
        var done = progress.Done;
        var planned = Math.Max(progress.Planned, done);
        var rate = seconds > 0 ? done / seconds : 0;
        var eta = rate > 0 ? (planned - done) / rate : 0;
        return string.Create(CultureInfo.InvariantCulture, $"optimize: {done}/{planned} runs, {rate:F0} runs/s, ETA {eta:F0} s");
    }

    private static void Print(ParseResult parse, Request request, OptimizationResult<RunMetrics> result)
    {
        var output = parse.InvocationConfiguration.Output;
        var ranked = result.Ranked();
        var top = ranked.Take(request.Top).ToArray();
        var ms = result.Elapsed.TotalMilliseconds;
        var rate = ms > 0 ? result.Trials.Count / (ms / 1000) : 0;
        if (request.Json)
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteString("strategy", request.Space.Strategy.Name);
                w.WriteString("search", request.Search!.Name);
                w.WriteString("objective", Scoring.Name(request.Objective));
                w.WriteString("space", request.Space.ToString());
                w.WriteNumber("runs", result.Trials.Count);
                w.WriteNumber("kept", ranked.Count);
                w.WriteNumber("elapsed_ms", Math.Round(ms, 3));
                w.WriteNumber("runs_per_sec", Math.Round(rate, 1));
                w.WriteNumber("threads", result.Threads);
                w.WriteBoolean("canceled", result.Canceled);
                if (top.Length > 0)
                {
                    w.WritePropertyName("best");
                    OptimizeJson.WriteRow(w, top[0], 1);
                }
                else
                {
                    w.WriteNull("best");
                }

                w.WriteStartArray("top");
                for (var i = 0; i < top.Length; i++)
                {
                    OptimizeJson.WriteRow(w, top[i], i + 1);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            return;
        }

        var console = ConsoleFor(output);
        var axes = request.Space.Axes;
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"[bold]{Markup.Escape(request.Space.Strategy.Name)}[/] {result.Trials.Count:N0} runs ({Markup.Escape(request.Search!.Name)}), best by {Scoring.Name(request.Objective)}");
        table.AddColumn("#");
        foreach (var a in axes)
        {
            table.AddColumn(new TableColumn(Markup.Escape(a.Name)).RightAligned());
        }

        // The objective first; the usual metrics after it, without repeating the objective's own.
        var columns = new List<(string Header, Func<Trading.Backtest.Metrics.BacktestMetrics, string> Cell)>
        {
            (Scoring.Name(request.Objective), m => Num(Scoring.Value(request.Objective, m))),
        };
        void Column(Objective o, string header, Func<Trading.Backtest.Metrics.BacktestMetrics, string> cell)
        {
            if (o != request.Objective)
            {
                columns.Add((header, cell));
            }
        }

        Column(Objective.Return, "return %", m => Num(m.TotalReturnPct));
        Column(Objective.Sharpe, "sharpe", m => Num(m.Sharpe));
        Column(Objective.MaxDrawdown, "max dd %", m => Num(m.MaxDrawdownPct));
        columns.Add(("trades", m => m.Trades.ToString(CultureInfo.InvariantCulture)));
        Column(Objective.WinRate, "win %", m => Num(m.WinRatePct));
        Column(Objective.ProfitFactor, "PF", m => double.IsPositiveInfinity(m.ProfitFactor) ? "inf" : Num(m.ProfitFactor));
        foreach (var (header, _) in columns)
        {
            table.AddColumn(new TableColumn(header).RightAligned());
        }

        for (var i = 0; i < top.Length; i++)
        {
            var t = top[i];
            var row = new List<string> { (i + 1).ToString(CultureInfo.InvariantCulture) };
            row.AddRange(axes.Select(a => ParameterSpec.Format(t.Parameters.Get(a.Name))));
            row.AddRange(columns.Select(c => c.Cell(t.Result.Metrics)));
            table.AddRow(row.Select(Markup.Escape).ToArray());
        }

        console.Write(table);
        var note = result.Canceled ? " [yellow]canceled: best of the runs finished so far[/]" : "";
        var discarded = result.Trials.Count - ranked.Count;
        console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{result.Trials.Count:N0} runs in {ms:F0} ms ({rate:N0} runs/s on {result.Threads} threads){(discarded > 0 ? $", {discarded:N0} discarded by --min-trades {request.MinTrades}" : "")}")) + note);
        if (top.Length > 0)
        {
            console.MarkupLine(Markup.Escape($"best: {top[0].Parameters}  order list hash {top[0].Result.OrderListHash[..16]}"));
        }
        else
        {
            console.MarkupLine("[yellow]no run was kept[/]");
        }
    }

    private static void PrintWalkForward(ParseResult parse, Request request, WalkForwardReport report, Candle[] candles)
    {
        var output = parse.InvocationConfiguration.Output;
        var interval = BacktestEngine.Interval(candles);
        if (parse.GetValue(Out) is { } dir)
        {
            Directory.CreateDirectory(dir);
            using var writer = new StreamWriter(Path.Combine(dir, "oos_equity.csv"));
            writer.Write("time,equity\n");
            for (var i = 0; i < report.StitchedEquity.Length; i++)
            {
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"{SummaryJson.Iso(report.StitchedTimes[i])},{report.StitchedEquity[i]:0.########}\n"));
            }
        }

        if (request.Json)
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteString("strategy", request.Space.Strategy.Name);
                w.WriteString("search", request.Search?.Name ?? request.SearchName);
                w.WriteString("objective", Scoring.Name(request.Objective));
                w.WriteString("space", request.Space.ToString());
                w.WriteNumber("runs", report.Runs);
                w.WriteNumber("elapsed_ms", Math.Round(report.Elapsed.TotalMilliseconds, 3));
                w.WriteNumber("runs_per_sec", Math.Round(report.Runs / Math.Max(1e-9, report.Elapsed.TotalSeconds), 1));
                w.WriteNumber("threads", request.Threads);
                w.WriteBoolean("canceled", report.Canceled);
                OptimizeJson.WriteWalkForward(w, report);
                w.WriteEndObject();
            }

            output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            return;
        }

        var console = ConsoleFor(output);
        var objective = Scoring.Name(request.Objective) + (request.Objective == Objective.Return ? " (CAGR %)" : "");
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"[bold]{Markup.Escape(request.Space.Strategy.Name)}[/] walk-forward, {report.Windows.Count} windows, {Markup.Escape(objective)}");
        foreach (var h in new[] { "#", "in-sample", "out-of-sample", "best params", "IS", "OOS", "OOS/IS", "OOS return %", "OOS trades" })
        {
            table.AddColumn(h);
        }

        foreach (var r in report.Windows)
        {
            var w = r.Window;
            string Period(int start, int length) => $"{SummaryJson.Iso(candles[start].OpenTime)[..10]} → {SummaryJson.Iso(candles[start + length - 1].OpenTime + interval)[..10]}";
            table.AddRow(
                Markup.Escape((w.Index + 1).ToString(CultureInfo.InvariantCulture)),
                Markup.Escape(Period(w.TrainStart, w.TrainLength)),
                Markup.Escape(Period(w.TestStart, w.TestLength)),
                Markup.Escape(r.Best is null ? "(no run kept)" : string.Join(" ", request.Space.Axes.Select(a => $"{a.Name}={ParameterSpec.Format(r.Best.Get(a.Name))}"))),
                Markup.Escape(Opt(r.InSampleValue)),
                Markup.Escape(Opt(r.OutOfSampleValue)),
                Markup.Escape(Opt(r.Ratio)),
                Markup.Escape(Opt(r.OutOfSample?.TotalReturnPct)),
                Markup.Escape(r.OutOfSample?.Trades.ToString(CultureInfo.InvariantCulture) ?? "-"));
        }

        console.Write(table);
        console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"stitched out-of-sample return {report.StitchedReturnPct:F2} % over {report.StitchedEquity.Length:N0} candles; overfitting ratio (mean OOS / mean IS) {Opt(report.OverfittingRatio)}; {report.Runs:N0} runs in {report.Elapsed.TotalMilliseconds:F0} ms"))
            + (report.Canceled ? " [yellow]canceled[/]" : ""));
    }

    private static IAnsiConsole ConsoleFor(TextWriter output) => Terminal.For(output);

    private static string Num(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Opt(double? v) => v is double d && double.IsFinite(d) ? Num(d) : "-";

    private enum ProgressMode
    {
        None,
        Bar,
        Lines,
    }

    /// <summary>Runs done, and runs/s, for the progress bar.</summary>
    private sealed class RunsColumn(ProgressCounter progress, System.Diagnostics.Stopwatch clock) : ProgressColumn
    {
        public override Spectre.Console.Rendering.IRenderable Render(Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        {
            var seconds = clock.Elapsed.TotalSeconds;
            var done = progress.Done;
            return new Text(string.Create(CultureInfo.InvariantCulture, $"{done:N0}/{progress.Planned:N0} runs {(seconds > 0 ? done / seconds : 0):N0}/s"));
        }
    }

    /// <summary>The validated request: everything that can be a usage error is checked here, before data is loaded.</summary>
    private sealed class Request
    {
        public required ParameterSpace Space { get; init; }

        public required string SearchName { get; init; }

        public required Func<ParameterSpace, ISearch> NewSearch { get; init; }

        public ISearch? Search { get; init; }

        public required Objective Objective { get; init; }

        public required int MinTrades { get; init; }

        public required int Threads { get; init; }

        public required int Top { get; init; }

        public required bool Json { get; init; }

        public required int? WalkForward { get; init; }

        public required double TrainRatio { get; init; }

        public required BacktestOptions Options { get; init; }

        public static Request From(ParseResult parse, StrategyChoice choice, FillModelOptions fill)
        {
            var descriptor = choice.Descriptor;
            var baseSet = choice.Parameters;
            var axes = (parse.GetValue(Grid) ?? []).Select(g => GridArgument.Parse(g, descriptor)).ToArray();
            var space = ParameterSpace.Create(descriptor, baseSet, axes, parse.GetValue(Where) ?? []);

            var threads = Positive(parse.GetValue(OptimizeCommand.Threads), "--threads");
            var top = Positive(parse.GetValue(OptimizeCommand.Top), "--top");
            var minTrades = parse.GetValue(OptimizeCommand.MinTrades);
            if (minTrades < 0)
            {
                throw new OptimizerException($"--min-trades must be 0 or more, got {minTrades}");
            }

            var seed = parse.GetValue(Seed);
            var samples = parse.GetValue(Samples);
            var tpe = new TpeSettings { Trials = parse.GetValue(Trials), Seed = seed, BatchSize = parse.GetValue(Batch) };
            var kind = parse.GetValue(SearchKind)!.Trim().ToLowerInvariant();
            Func<ParameterSpace, ISearch> factory = kind switch
            {
                "grid" => s => new GridSearch(s),
                "random" => s => new RandomSearch(s, samples, seed),
                "tpe" => s => new TpeSearch(s, tpe),
                _ => throw new OptimizerException($"--search '{kind}' is unknown (known: grid, random, tpe)"),
            };

            var walkForward = parse.GetValue(OptimizeCommand.WalkForward);
            return new Request
            {
                Space = space,
                SearchName = kind,
                NewSearch = factory,

                // Built now so that a bad or empty space is a usage error before any data is read; walk-forward
                // builds a fresh search per window.
                Search = factory(space),
                Objective = Scoring.Parse(parse.GetValue(ObjectiveName)!),
                MinTrades = minTrades,
                Threads = threads,
                Top = top,
                Json = parse.GetValue(OptimizeCommand.Json),
                WalkForward = walkForward,
                TrainRatio = parse.GetValue(OptimizeCommand.TrainRatio),
                Options = fill.Build(parse) with { RecordEquity = false },
            };
        }

        private static int Positive(int value, string flag) =>
            value >= 1 ? value : throw new OptimizerException($"{flag} must be at least 1, got {value}");
    }
}
