namespace EventLoop.Tests.Backends;

/// <summary>How <see cref="LoopOptions.Backend"/> is resolved: Auto's probe and fallback, explicit choices, refusals.</summary>
public sealed class BackendSelectionTests
{
    [Fact]
    public void The_default_is_Auto()
    {
        Assert.Equal(LoopBackend.Auto, new LoopOptions().Backend);
    }

    [Fact]
    public void Auto_picks_io_uring_wherever_an_io_uring_loop_can_be_made()
    {
        bool available;
        try
        {
            using var probe = new Loop(new LoopOptions { Backend = LoopBackend.IoUring });
            available = true;
        }
        catch (NotSupportedException)
        {
            available = false;
        }

        using var loop = new Loop();
        if (available)
        {
            Assert.Equal(LoopBackend.IoUring, loop.Backend);
            Assert.Null(loop.BackendFallbackReason);
        }
        else
        {
            Assert.NotEqual(LoopBackend.IoUring, loop.Backend);
            Assert.Contains("io_uring", loop.BackendFallbackReason);
        }
    }

    [Fact]
    public void Auto_falls_back_when_io_uring_setup_is_refused_and_says_why()
    {
        using var loop = new Loop(new LoopOptions { RefuseIoUring = true });
        Assert.NotEqual(LoopBackend.IoUring, loop.Backend);
        Assert.NotEqual(LoopBackend.Auto, loop.Backend);
        Assert.Contains("RefuseIoUring", loop.BackendFallbackReason);
    }

    [Fact]
    public void An_explicit_io_uring_the_machine_refuses_throws_with_the_reason()
    {
        var e = Assert.Throws<NotSupportedException>(() => new Loop(new LoopOptions { Backend = LoopBackend.IoUring, RefuseIoUring = true }));
        Assert.Contains("io_uring_setup refused", e.Message);
    }

    [Fact]
    public void An_explicit_choice_is_taken_as_is()
    {
        using var runtime = new Loop(new LoopOptions { Backend = LoopBackend.Runtime, RefuseIoUring = true });
        Assert.Equal(LoopBackend.Runtime, runtime.Backend);
        Assert.Null(runtime.BackendFallbackReason);
    }

    [Fact]
    public void An_unknown_backend_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Loop(new LoopOptions { Backend = (LoopBackend)42 }));
    }
}
