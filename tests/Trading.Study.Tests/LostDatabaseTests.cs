using System.Net;
using System.Net.Sockets;

namespace Trading.Study.Tests;

/// <summary>A database that cannot be reached is retried with backoff, then reported in one line without the password.</summary>
public sealed class LostDatabaseTests
{
    [Fact]
    public void Unreachable_database_is_retried_then_reported_in_one_line()
    {
        // A port that was free a moment ago and has no listener: every connection attempt is refused.
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        using var store = StudyStore.Open(StudyUrl.Parse($"postgresql://quant:hidden@127.0.0.1:{port}/studies"), TimeSpan.FromMilliseconds(1), 3);
        var e = Assert.Throws<StudyException>(() => store.Status("s", TimeSpan.FromSeconds(10)));
        Assert.StartsWith($"lost the study database quant@127.0.0.1:{port}/studies after 3 attempts: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain("hidden", e.Message, StringComparison.Ordinal);
    }
}
