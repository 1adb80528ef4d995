using Trading.Core.Strategies;

namespace Trading.Backtest.Engine;

/// <summary>
/// A backtest's timers and alarms, by name. A strategy keeps a handful, so a list scanned for the earliest beats a
/// heap; nothing allocates once the list has grown. Ties fire in the order the timers were set, so a replay is
/// deterministic.
/// </summary>
internal sealed class TimerSchedule
{
    private readonly List<Slot> _slots = [];
    private long _sequence;

    public int Count => _slots.Count;

    /// <summary>Sets <paramref name="name"/> to fire at <paramref name="due"/>, then every <paramref name="interval"/> ms (0: once), replacing a timer of that name.</summary>
    public void Set(string name, long due, long interval)
    {
        Cancel(name);
        _slots.Add(new Slot(name, due, interval, ++_sequence));
    }

    /// <summary>Removes every timer and restarts the tie-break sequence, as a new schedule.</summary>
    public void Clear()
    {
        _slots.Clear();
        _sequence = 0;
    }

    public bool Cancel(string name)
    {
        for (var i = 0; i < _slots.Count; i++)
        {
            if (string.Equals(_slots[i].Name, name, StringComparison.Ordinal))
            {
                _slots.RemoveAt(i);
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Takes the earliest timer due strictly before <paramref name="before"/>: an alarm is removed, a repeating timer
    /// moves on by its interval (and may be taken again in the same sweep). False when none is due.
    /// </summary>
    public bool TryTakeDue(long before, out TimerEvent timer)
    {
        var best = -1;
        for (var i = 0; i < _slots.Count; i++)
        {
            var s = _slots[i];
            if (s.Due < before && (best < 0 || s.Due < _slots[best].Due || (s.Due == _slots[best].Due && s.Sequence < _slots[best].Sequence)))
            {
                best = i;
            }
        }

        if (best < 0)
        {
            timer = default;
            return false;
        }

        var slot = _slots[best];
        timer = new TimerEvent(slot.Name, slot.Due, slot.Interval);
        if (slot.Interval > 0)
        {
            _slots[best] = slot with { Due = slot.Due + slot.Interval };
        }
        else
        {
            _slots.RemoveAt(best);
        }

        return true;
    }

    private readonly record struct Slot(string Name, long Due, long Interval, long Sequence);
}
