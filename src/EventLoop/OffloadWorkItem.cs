namespace EventLoop;

/// <summary>The thread-pool work item of an offload, one per completion, reused by every run.</summary>
internal sealed class OffloadWorkItem(Completion completion) : IThreadPoolWorkItem
{
    public void Execute()
    {
        var c = completion;
        try
        {
            c.ResultValue = c.WorkInvoke!(c.Work!, c.UserState);
        }
        catch (Exception e)
        {
            c.ResultException = e;
        }

        c.Loop!.Complete(c);
    }
}
