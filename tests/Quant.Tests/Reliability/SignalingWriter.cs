namespace Quant.Tests.Reliability;

/// <summary>A StringWriter that completes <see cref="Seen"/> once a line containing <paramref name="marker"/> has been
/// written: how a test learns, without polling, that an in-process <c>quant live</c> has reached a point.</summary>
internal sealed class SignalingWriter(string marker) : StringWriter(System.Globalization.CultureInfo.InvariantCulture)
{
    private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Seen => _seen.Task;

    public override void Write(string? value)
    {
        lock (this)
        {
            base.Write(value);
        }

        if (value is not null && value.Contains(marker, StringComparison.Ordinal))
        {
            _seen.TrySetResult();
        }
    }

    public override void WriteLine(string? value)
    {
        Write(value);
        Write(NewLine);
    }

    public override void Write(char value)
    {
        lock (this)
        {
            base.Write(value);
        }
    }

    public override string ToString()
    {
        lock (this)
        {
            return base.ToString();
        }
    }
}
