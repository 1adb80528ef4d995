using Trading.Optimizer.Search;

namespace Trading.Optimizer.Tests;

public sealed class TpeMathTests
{
    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.959963984540054, 0.975)]
    [InlineData(-1.959963984540054, 0.025)]
    [InlineData(1.0, 0.8413447460685429)]
    [InlineData(-3.0, 0.0013498980316301)]
    public void Normal_cdf_matches_tables(double x, double expected) =>
        Assert.Equal(expected, NormalMath.Cdf(x), 6);

    [Fact]
    public void Log_mass_is_accurate_in_both_tails_and_the_middle()
    {
        Assert.Equal(Math.Log(0.6826894921370859), NormalMath.LogMass(-1, 1), 6);
        // Φ(−10) − Φ(−11) = 7.6198530241604e-24 − 1.9106595744986e-28
        var expected = Math.Log(7.6198530241604e-24 - 1.9106595744986e-28);
        Assert.Equal(expected, NormalMath.LogMass(-11, -10), 4);
        Assert.Equal(expected, NormalMath.LogMass(10, 11), 4);
        Assert.Equal(Math.Log(0.5 - 0.0013498980316301), NormalMath.LogMass(0, 3), 6);
    }

    [Fact]
    public void Numeric_parzen_is_a_distribution_peaked_at_the_observations()
    {
        var p = new NumericParzen(50, [10, 11, 12], [1, 1, 1]);
        var total = Enumerable.Range(0, 50).Sum(j => Math.Exp(p.LogProbability(j)));
        Assert.Equal(1.0, total, 6);
        Assert.True(p.LogProbability(11) > p.LogProbability(30));
        Assert.True(p.LogProbability(11) > p.LogProbability(0));

        // With few observations the bandwidths are clipped from below to width / (1 + components) = 50 / 5 = 10, so the
        // kernels are wide: P(|x − 11| ≤ 3) ≈ ¾ · P(|Z| ≤ 0.35) ≈ 0.2, still above the uniform 7/50 = 0.14.
        var rng = new Random(1);
        var near = Enumerable.Range(0, 4000).Count(_ => Math.Abs(p.Sample(rng) - 11) <= 3);
        Assert.InRange(near, 800, 1300);

        // Thirty observations: the clip falls to 50 / 32 and the estimator concentrates.
        var many = new NumericParzen(50, Enumerable.Range(0, 30).Select(i => 10.0 + (i % 3)).ToArray(), Enumerable.Repeat(1.0, 30).ToArray());
        var close = Enumerable.Range(0, 4000).Count(_ => Math.Abs(many.Sample(rng) - 11) <= 3);
        Assert.True(close > 3400, $"{close} of 4000 draws within 3 of the observations");
    }

    [Theory]
    [InlineData(97)]
    [InlineData(NumericParzen.MaxMemoized + 5)] // past the memoized size: computed on every call
    public void Numeric_parzen_answers_the_same_bits_on_every_call_in_any_order(int count)
    {
        var observations = Enumerable.Range(0, 300).Select(i => (double)((i * 37) % count)).ToArray();
        var weights = ParzenWeights.For(observations.Length);
        var forward = new NumericParzen(count, observations, weights);
        var backward = new NumericParzen(count, observations, weights);
        var first = Enumerable.Range(0, count).Select(forward.LogProbability).ToArray();
        var reversed = Enumerable.Range(0, count).Reverse().Select(backward.LogProbability).Reverse().ToArray();
        var again = Enumerable.Range(0, count).Select(forward.LogProbability).ToArray();

        for (var j = 0; j < count; j++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(first[j]), BitConverter.DoubleToInt64Bits(reversed[j]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(first[j]), BitConverter.DoubleToInt64Bits(again[j]));
        }
    }

    [Fact]
    public void Numeric_parzen_with_one_value_and_categorical_sum_to_one()
    {
        var single = new NumericParzen(1, [0], [1]);
        Assert.Equal(0.0, single.LogProbability(0), 9);
        Assert.Equal(0, single.Sample(new Random(3)));

        // Prior 1/3 each, plus weights 1 and 1 on category 2: (1/3, 1/3, 7/3) / 3.
        var c = new CategoricalParzen(3, [2, 2], [1, 1]);
        Assert.Equal(Math.Log(1.0 / 9), c.LogProbability(0), 9);
        Assert.Equal(Math.Log(7.0 / 9), c.LogProbability(2), 9);
    }

    [Fact]
    public void Weights_follow_optuna()
    {
        Assert.Equal([1.0, 1, 1], ParzenWeights.For(3));
        var w = ParzenWeights.For(30); // 5 ramp from 1/30 to 1, then 25 ones
        Assert.Equal(1.0 / 30, w[0], 12);
        Assert.Equal(1.0, w[4], 12);
        Assert.All(w[5..], x => Assert.Equal(1.0, x));
        Assert.Equal(3, TpeSettings.Good(30));
        Assert.Equal(25, TpeSettings.Good(1000));
        Assert.Equal(1, TpeSettings.Good(5));
    }

    [Fact]
    public void Seeds_are_stable_and_distinct_per_stream()
    {
        Assert.Equal(Seeds.Derive(42, 3), Seeds.Derive(42, 3));
        Assert.NotEqual(Seeds.Derive(42, 3), Seeds.Derive(42, 4));
        Assert.NotEqual(Seeds.Derive(42, 3), Seeds.Derive(43, 3));
        Assert.Equal(Seeds.For(5, 1).Next(), Seeds.For(5, 1).Next());
    }
}
