using Trading.Core.Strategies;

namespace Trading.Optimizer.Running;

/// <summary>
/// The one ordering of results: kept trials only, by score descending (+∞ first, NaN never appears: scores are
/// finite or ±∞), then by parameter values ascending in name order, then by index. A total order, so the best row
/// and the top-N table are the same whatever order the runs finished in.
/// </summary>
public static class Ranking
{
    public static IReadOnlyList<Trial<T>> Rank<T>(IEnumerable<Trial<T>> trials)
    {
        var kept = trials.Where(t => t.Kept).ToArray();
        Array.Sort(kept, Compare);
        return kept;
    }

    public static int Compare<T>(Trial<T> a, Trial<T> b)
    {
        var c = b.Score!.Value.CompareTo(a.Score!.Value);
        if (c != 0)
        {
            return c;
        }

        c = CompareParameters(a.Parameters, b.Parameters);
        return c != 0 ? c : a.Index.CompareTo(b.Index);
    }

    /// <summary>Lexicographic over name-ordered values (sets of the same strategy share their names).</summary>
    public static int CompareParameters(ParameterSet a, ParameterSet b)
    {
        var n = Math.Min(a.Count, b.Count);
        for (var i = 0; i < n; i++)
        {
            var c = string.CompareOrdinal(a.Names[i], b.Names[i]);
            if (c != 0)
            {
                return c;
            }

            c = a.Values[i].CompareTo(b.Values[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return a.Count.CompareTo(b.Count);
    }
}
