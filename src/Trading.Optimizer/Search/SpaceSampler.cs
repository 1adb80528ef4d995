using Trading.Core.Strategies;
using Trading.Optimizer.Space;

namespace Trading.Optimizer.Search;

/// <summary>
/// Draws allowed, not-yet-seen points uniformly at random: by rejection, and when rejection keeps failing (tight
/// constraints, or a space nearly used up) by listing the remaining allowed points of a space small enough to list.
/// </summary>
internal static class SpaceSampler
{
    /// <summary>Largest space listed exhaustively when rejection sampling fails.</summary>
    public const double ListLimit = 4_000_000;

    public static bool TryDraw(ParameterSpace space, Random rng, HashSet<ParameterSet> seen, Span<int> digits, out ParameterSet point)
    {
        for (var attempt = 0; attempt < 2_000; attempt++)
        {
            for (var a = 0; a < digits.Length; a++)
            {
                digits[a] = rng.Next(space.Axes[a].Count);
            }

            if (space.Allows(digits))
            {
                point = space.At(digits);
                if (!seen.Contains(point))
                {
                    return true;
                }
            }
        }

        if (space.Size <= ListLimit)
        {
            var remaining = new List<int[]>();
            var d = new int[digits.Length];
            do
            {
                if (space.Allows(d) && !seen.Contains(space.At(d)))
                {
                    remaining.Add((int[])d.Clone());
                }
            }
            while (space.Increment(d));

            if (remaining.Count > 0)
            {
                remaining[rng.Next(remaining.Count)].CopyTo(digits);
                point = space.At(digits);
                return true;
            }
        }

        point = ParameterSet.Empty;
        return false;
    }
}
