using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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
}
