namespace Trading.Optimizer.Search;

/// <summary>
/// Derives independent, reproducible seeds for <see cref="Random"/> from a user seed and a stream number (the batch,
/// the walk-forward window) with SplitMix64, so that streams do not overlap the way <c>seed + n</c> seeds can.
/// <see cref="Random(int)"/> with a seed is the same sequence on every platform and run.
/// </summary>
public static class Seeds
{
    public static Random For(int seed, int stream) => new(Derive(seed, stream));

    public static int Derive(int seed, int stream)
    {
        var z = unchecked(((ulong)(uint)seed << 32) ^ (uint)stream) + 0x9E3779B97F4A7C15UL;
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
