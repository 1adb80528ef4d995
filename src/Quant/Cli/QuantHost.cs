using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Quant.Cli;

/// <summary>
/// The generic host, for long-running commands only (<c>sim</c>, <c>live</c>): configuration from
/// <see cref="QuantSettings"/>, logging to the command's error writer (stderr; Debug with <c>--verbose</c>, else Information), and Ctrl-C /
/// SIGTERM turned into cancellation of the token the command's body receives. Short commands (<c>backtest</c>,
/// <c>strategies</c>, <c>data</c>) must not use it: building a host costs tens of milliseconds of start-up.
/// <code>
/// command.SetAction((parse, _) => QuantHost.RunAsync(parse, context, async (services, ct) =>
/// {
///     var log = services.GetRequiredService&lt;ILoggerFactory&gt;().CreateLogger("sim");
///     await server.RunAsync(ct);          // returns when Ctrl-C is pressed
///     return ExitCodes.Ok;
/// }));
/// </code>
/// </summary>
internal static class QuantHost
{
    /// <summary>
    /// Builds and starts the host, runs <paramref name="body"/> with a token that is canceled on Ctrl-C, SIGTERM or
    /// <paramref name="cancel"/>, then stops the host. Returns the body's exit code, or <see cref="ExitCodes.Canceled"/>
    /// when the body ends with <see cref="OperationCanceledException"/> after cancellation. Other exceptions propagate
    /// (QuantCli prints them as one line).
    /// </summary>
    /// <param name="services">Registers the command's services (hosted services included) before the host is built.</param>
    public static async Task<int> RunAsync(
        ParseResult parse,
        CliContext context,
        Func<IServiceProvider, CancellationToken, Task<int>> body,
        Action<IServiceCollection>? services = null,
        CancellationToken cancel = default)
    {
        var verbose = parse.GetValue<bool>("--verbose");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddConfiguration(context.Settings.Load());
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information);
        // Logs go to the command's error writer, so stdout stays the command's result (JSON for scripts): the
        // console logger when that is the process's stderr, else (a test's or an embedding host's writer) lines of
        // the same shape written to it.
        var errors = parse.InvocationConfiguration?.Error ?? Console.Error;
        if (ReferenceEquals(errors, Console.Error))
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
            builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }
        else
        {
            builder.Logging.AddProvider(new TextWriterLoggerProvider(errors));
        }

        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        services?.Invoke(builder.Services);

        using var host = builder.Build();
        await host.StartAsync(cancel).ConfigureAwait(false);
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping, cancel);
        try
        {
            return await body(host.Services, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            return ExitCodes.Canceled;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
