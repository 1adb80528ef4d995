using Trading.Core.Orders;

namespace Trading.Core.Tests.Orders;

public sealed class ClientOrderIdTests
{
    [Fact]
    public void Ids_are_numbers_inside_and_q_run_dash_n_at_the_venue()
    {
        var id = new ClientOrderId(42);
        Assert.Equal("q7-42", id.Format(7));
        Span<char> buffer = stackalloc char[36];
        Assert.True(id.TryFormat(buffer, out var written, 1_733_011_200));
        Assert.Equal("q1733011200-42", buffer[..written].ToString());
        Assert.Equal("42", id.ToString());
        Assert.True(ClientOrderId.None.IsNone);
        Assert.Equal(new ClientOrderId(42), id);
    }

    [Fact]
    public void Parsing_reads_back_only_this_runs_ids()
    {
        Assert.True(ClientOrderId.TryParse("q7-42", 7, out var id));
        Assert.Equal(42, id.Value);
        Assert.False(ClientOrderId.TryParse("q8-42", 7, out _));    // another run's order
        Assert.False(ClientOrderId.TryParse("web_abc123", 7, out _)); // placed by hand
        Assert.False(ClientOrderId.TryParse("q7-", 7, out _));
        Assert.False(ClientOrderId.TryParse("q7-0", 7, out _));
        Assert.False(ClientOrderId.TryParse("q7--4", 7, out _));
    }

    [Fact]
    public void Text_longer_than_the_venue_allows_is_refused()
    {
        // q + 19 digits + - + 19 digits = 40 characters > 36.
        var id = new ClientOrderId(long.MaxValue);
        Span<char> buffer = stackalloc char[64];
        Assert.False(id.TryFormat(buffer, out _, long.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => id.Format(long.MaxValue));
        Assert.True(id.TryFormat(buffer, out var written, 1_000_000));
        Assert.True(written <= ClientOrderId.MaxVenueLength);
        Assert.False(new ClientOrderId(5).TryFormat(buffer[..3], out _, 1));
    }
}
