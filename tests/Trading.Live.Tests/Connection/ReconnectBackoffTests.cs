using Trading.Live.Connection;

namespace Trading.Live.Tests.Connection;

public sealed class ReconnectBackoffTests
{
    private static ReconnectBackoff Make(int seed = 1) =>
        new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), stableAfter: TimeSpan.FromSeconds(60), jitter: 0.5, seed: seed);

    [Fact]
    public void Delays_double_up_to_the_cap_each_shortened_by_at_most_the_jitter()
    {
        var b = Make();
        var ceilings = new[] { 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000 };
        foreach (var ceiling in ceilings)
        {
            var d = b.NextDelay().TotalMilliseconds;
            Assert.InRange(d, ceiling * 0.5, ceiling);
        }

        Assert.Equal(9, b.Attempt);
        Assert.Equal(TimeSpan.FromSeconds(30), b.Ceiling(1000));
    }

    [Fact]
    public void The_same_seed_gives_the_same_delays_and_another_seed_others()
    {
        var a = Make(7);
        var b = Make(7);
        var c = Make(8);
        var da = Enumerable.Range(0, 8).Select(_ => a.NextDelay()).ToArray();
        var db = Enumerable.Range(0, 8).Select(_ => b.NextDelay()).ToArray();
        var dc = Enumerable.Range(0, 8).Select(_ => c.NextDelay()).ToArray();
        Assert.Equal(da, db);
        Assert.NotEqual(da, dc);
    }

    [Fact]
    public void A_flapping_connection_keeps_backing_off_and_a_stable_one_starts_over()
    {
        var b = Make();
        long now = 0;
        for (var i = 0; i < 4; i++)
        {
            now += (long)b.NextDelay().TotalMilliseconds;
            b.OnConnected(now);
            now += 1_000; // accepted, then dropped a second later
            b.OnDisconnected(now);
        }

        Assert.Equal(4, b.Attempt);
        Assert.InRange(b.NextDelay().TotalMilliseconds, 4000, 8000);
        b.OnConnected(now);
        b.OnDisconnected(now + 60_000); // up for a minute: healthy
        Assert.Equal(0, b.Attempt);
        Assert.InRange(b.NextDelay().TotalMilliseconds, 250, 500);
    }
}
