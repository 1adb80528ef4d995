namespace Trading.Optimizer.Search;

/// <summary>
/// Optuna's default observation weights: equal below 25 observations; beyond, the 25 most recent weigh 1 and older ones
/// ramp linearly from 1/n up to 1, so that early (random) trials fade as the search learns.
/// </summary>
internal static class ParzenWeights
{
    public static double[] For(int n)
    {
        var w = new double[n];
        if (n < 25)
        {
            Array.Fill(w, 1.0);
            return w;
        }

        var ramp = n - 25;
        for (var i = 0; i < ramp; i++)
        {
            w[i] = ramp == 1 ? 1.0 / n : (1.0 / n) + ((1.0 - (1.0 / n)) * i / (ramp - 1));
        }

        for (var i = ramp; i < n; i++)
        {
            w[i] = 1.0;
        }

        return w;
    }
}
