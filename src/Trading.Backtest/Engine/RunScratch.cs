using Trading.Backtest.Results;
using Trading.Core.Orders;

namespace Trading.Backtest.Engine;

/// <summary>
/// The containers a backtest works in and does not hand out — the book and its copy, the order slots, the event
/// queue, the timers, the order-list hasher, the account and the trade ledger — kept per thread between runs, so that an optimizer sweep's runs
/// allocate none of them (only their results and the strategy). <see cref="Take"/> gives the thread's spare (or new
/// ones: a run nested in another's callback gets its own) emptied; <see cref="Return"/> empties it and keeps it for
/// the thread's next run. Trap: a run returns it only once its result no longer refers to any of it.
/// </summary>
internal sealed class RunScratch
{
    [ThreadStatic]
    private static RunScratch? t_spare;

    public List<BacktestOrder> Open { get; } = [];

    /// <summary>The candle index each open order was accepted at.</summary>
    public List<int> OpenSince { get; } = [];

    public List<OrderView> OpenViews { get; } = [];

    public List<BacktestOrder> Scratch { get; } = [];

    public List<int> ScratchSince { get; } = [];

    /// <summary>Slots whose orders left the book, not yet reusable: a callback chain may still hold them (see BacktestRun.Recycle).</summary>
    public OrderSlotStack Retired { get; } = new();

    /// <summary>Slots free for new orders (kept across runs: the slots themselves are reused).</summary>
    public OrderSlotStack Free { get; } = new();

    public Queue<OrderEvent> Events { get; } = new();

    public TimerSchedule Timers { get; } = new();

    public OrderListHasher Hasher { get; } = new();

    public BacktestAccount Account { get; } = new(0);

    public TradeLedger Ledger { get; } = new(0, keepTrades: false);

    /// <summary>The rules of the instrument of the thread's last run (reused when the next is on the same one).</summary>
    public InstrumentRules? Rules { get; set; }

    public static RunScratch Take()
    {
        var spare = t_spare;
        t_spare = null;
        return spare ?? new RunScratch();
    }

    /// <summary>Empties every container (the slots go back to <see cref="Free"/>) and keeps this for the thread's next run.</summary>
    public void Return()
    {
        foreach (var slot in Open)
        {
            Free.Push(slot);
        }

        Retired.MoveAllTo(Free);
        Open.Clear();
        OpenSince.Clear();
        OpenViews.Clear();
        Scratch.Clear();
        ScratchSince.Clear();
        Events.Clear();
        Timers.Clear();
        t_spare = this;
    }
}
