using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quant.Cli;

namespace Quant.Tests;

public sealed class QuantHostTests
{
    private static ParseResult Parse(params string[] args)
    {
        var root = new RootCommand { new Command("long") };
        root.Options.Add(CommonOptions.Verbose());
        return root.Parse(["long", .. args]);
    }

    [Fact]
    public async Task Body_runs_inside_a_started_host_and_its_exit_code_is_returned()
    {
        var started = false;
        var code = await QuantHost.RunAsync(Parse(), new CliContext(QuantSettings.None), (services, ct) =>
        {
            started = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.IsCancellationRequested;
            return Task.FromResult(ExitCodes.Data);
        });
        Assert.Equal(ExitCodes.Data, code);
        Assert.True(started);
    }

    [Fact]
    public async Task Cancellation_ends_the_body_with_exit_130()
    {
        using var cancel = new CancellationTokenSource();
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = QuantHost.RunAsync(Parse("--verbose"), new CliContext(QuantSettings.None), async (_, ct) =>
        {
            running.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return ExitCodes.Ok;
        }, cancel: cancel.Token);

        await running.Task;
        await cancel.CancelAsync();
        Assert.Equal(ExitCodes.Canceled, await run);
    }

    [Fact]
    public void Log_lines_go_to_the_commands_error_writer_and_never_to_stdout()
    {
        var context = new CliContext(QuantSettings.None);
        var command = new Command("long");
        command.SetAction((parse, ct) => QuantHost.RunAsync(parse, context, (services, _) =>
        {
            var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("live");
            log.LogWarning("order {Id} unsettled", 7);
            log.LogDebug("a debug line");
            log.LogError(new InvalidOperationException("boom"), "failed");
            return Task.FromResult(ExitCodes.Ok);
        }, cancel: ct));
        var root = new RootCommand { command };
        root.Options.Add(CommonOptions.Verbose());
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        Assert.Equal(ExitCodes.Ok, QuantCli.RunRoot(root, ["long"], stdout, stderr));

        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Matches(@"^\d\d:\d\d:\d\d\.\d{3} warn: live\[0\] order 7 unsettled$", lines[0]);
        Assert.Matches(@"^\d\d:\d\d:\d\d\.\d{3} fail: live\[0\] failed$", lines[1]);
        Assert.StartsWith("System.InvalidOperationException: boom", lines[2], StringComparison.Ordinal);
        Assert.DoesNotContain("a debug line", stderr.ToString(), StringComparison.Ordinal); // Information without --verbose
        Assert.Equal("", stdout.ToString());
    }
}
