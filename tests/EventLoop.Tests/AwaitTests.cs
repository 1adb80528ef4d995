namespace EventLoop.Tests;

/// <summary>Loop.Await (tasks as completions: REST over HttpClient) and Offload with a result.</summary>
public sealed class AwaitTests(KestrelWebSocketServer server) : IClassFixture<KestrelWebSocketServer>
{
    private static CallbackAction Record(CancelTests.Outcomes o, Loop loop, Completion c, in CompletionResult r)
    {
        o.Add(in r);
        return CallbackAction.Disarm;
    }

    [Fact]
    public void An_HttpClient_request_is_a_completion_whose_callback_runs_on_the_loop_thread_with_the_body()
    {
        using var http = new HttpClient();
        using var loop = new Loop();
        var probe = new Probe();
        loop.Post(new Completion(), probe, (p, l, _, in _) =>
        {
            p.LoopThread = Environment.CurrentManagedThreadId;
            l.Await(new Completion(), http.GetStringAsync(new Uri(server.HttpUri, "rest")), TimeSpan.FromSeconds(30), p, static (p2, _, _, in r) =>
            {
                Assert.True(r.IsSuccess, r.Exception?.ToString());
                p2.Body = (string?)r.Value;
                p2.CallbackThread = Environment.CurrentManagedThreadId;
                return CallbackAction.Disarm;
            });
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        Assert.Equal("{\"price\":\"42.5\"}", probe.Body);
        Assert.Equal(probe.LoopThread, probe.CallbackThread);
    }

    [Fact]
    public void A_request_past_its_timeout_is_aborted_through_its_token_and_reports_timed_out()
    {
        using var http = new HttpClient();
        using var loop = new Loop();
        var probe = new Probe { Http = http, Uri = new Uri(server.HttpUri, "never") };
        loop.Await(new Completion(), probe, static (p, token) =>
        {
            p.Token = token;
            return p.Http!.GetAsync(p.Uri, token);
        }, TimeSpan.FromMilliseconds(100), static (p, _, _, in r) =>
        {
            p.Outcomes.Add(in r);
            return CallbackAction.Disarm;
        });
        loop.Run(RunMode.UntilDone);
        Assert.Equal(["Await:timedout"], probe.Outcomes.Entries);
        Assert.IsType<TimeoutException>(probe.Outcomes.LastException);
        Assert.True(probe.Token.IsCancellationRequested); // the request itself was told to stop
    }

    [Fact]
    public void Cancel_detaches_a_plain_task_at_once_and_its_later_end_changes_nothing()
    {
        using var loop = new Loop();
        var o = new CancelTests.Outcomes();
        var tcs = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var c = new Completion();
        loop.Await(c, tcs.Task, Timeout.InfiniteTimeSpan, o, Record);
        Assert.True(loop.Cancel(c));
        loop.Run(RunMode.UntilDone);
        Assert.Equal(["Await:canceled"], o.Entries);
        Assert.IsType<OperationCanceledException>(o.LastException);

        // Reuse the completion, then let the detached task end: only the new await reports.
        var next = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Await(c, next.Task, Timeout.InfiniteTimeSpan, o, Record);
        tcs.SetException(new InvalidDataException("late"));
        next.SetResult(7);
        loop.Run(RunMode.UntilDone);
        Assert.Equal(["Await:canceled", "Await:ok"], o.Entries);
        Assert.Equal(7, o.LastValue);
    }

    [Fact]
    public void A_faulted_task_reports_its_inner_exception_and_a_finished_value_task_its_value()
    {
        using var loop = new Loop();
        var o = new CancelTests.Outcomes();
        loop.Await(new Completion(), Task.FromException(new FormatException("bad json")), o, Record);
        loop.Run(RunMode.UntilDone);
        Assert.Equal(["Await:failed"], o.Entries);
        Assert.IsType<FormatException>(o.LastException);

        loop.Await(new Completion(), new ValueTask<int>(5), Timeout.InfiniteTimeSpan, o, Record);
        loop.Run(RunMode.UntilDone);
        Assert.Equal(5, o.LastValue);

        loop.Await(new Completion(), o, static (_, _) => throw new InvalidOperationException("factory threw"), Timeout.InfiniteTimeSpan, Record);
        loop.Run(RunMode.UntilDone);
        Assert.IsType<InvalidOperationException>(o.LastException);
        Assert.Equal(0, loop.ActiveCount);
    }

    [Fact]
    public void Rearm_of_an_await_throws_from_Run_and_leaves_nothing_active()
    {
        using var loop = new Loop();
        loop.Await(new Completion(), Task.CompletedTask, this, static (_, _, _, in _) => CallbackAction.Rearm);
        Assert.Throws<InvalidOperationException>(() => loop.Run(RunMode.UntilDone));
        Assert.Equal(0, loop.ActiveCount);
    }

    [Fact]
    public void Offload_with_a_result_hands_the_value_to_the_callback()
    {
        using var loop = new Loop();
        var o = new CancelTests.Outcomes();
        loop.Offload(new Completion(), o, static _ => Environment.CurrentManagedThreadId, Record);
        loop.Run(RunMode.UntilDone);
        Assert.Equal(["Offload:ok"], o.Entries);
        Assert.IsType<int>(o.LastValue);
    }

    private sealed class Probe
    {
        public HttpClient? Http { get; init; }

        public Uri? Uri { get; init; }

        public string? Body { get; set; }

        public int LoopThread { get; set; }

        public int CallbackThread { get; set; }

        public CancellationToken Token { get; set; }

        public CancelTests.Outcomes Outcomes { get; } = new();
    }
}
