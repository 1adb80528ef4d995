using Trading.Optimizer.Constraints;

namespace Trading.Optimizer.Tests;

public sealed class ConstraintTests
{
    // Names in ParameterSet order (ordinal): values are indexed by position.
    private static readonly string[] Names = ["fast", "qty", "size", "slow", "stop-loss"];

    private static bool Eval(string text, double fast, double slow, double size = 1, double stopLoss = 2) =>
        Constraint.Parse(text, Names).Allows([fast, 0, size, slow, stopLoss]);

    [Theory]
    [InlineData("fast < slow", 5, 10, true)]
    [InlineData("fast < slow", 10, 10, false)]
    [InlineData("fast <= slow", 10, 10, true)]
    [InlineData("fast > slow", 11, 10, true)]
    [InlineData("fast >= slow", 9, 10, false)]
    [InlineData("fast == 10", 10, 3, true)]
    [InlineData("fast != 10", 10, 3, false)]
    [InlineData("fast * 2 <= slow", 10, 20, true)]
    [InlineData("fast * 2 <= slow", 11, 20, false)]
    [InlineData("slow - fast >= 10", 5, 15, true)]
    [InlineData("slow - fast >= 10", 6, 15, false)]
    [InlineData("fast + slow * 2 == 25", 5, 10, true)] // * binds tighter than +: 5 + 20
    [InlineData("(fast + slow) * 2 == 30", 5, 10, true)]
    [InlineData("slow / fast > 2", 5, 11, true)]
    [InlineData("slow / fast > 2", 5, 10, false)]
    [InlineData("-fast < -3", 5, 10, true)]
    [InlineData("fast - -3 == 8", 5, 10, true)]
    [InlineData("fast < slow && slow < 100", 5, 10, true)]
    [InlineData("fast < slow && slow < 100", 5, 100, false)]
    [InlineData("fast > slow || fast == 5", 5, 10, true)]
    [InlineData("fast > slow || fast == 6", 5, 10, false)]
    [InlineData("!(fast < slow)", 5, 10, false)]
    [InlineData("!fast < slow", 5, 10, false)] // ! applies to the comparison: !(fast < slow)
    [InlineData("fast < 3 || fast < slow && slow > 50", 5, 10, false)] // && binds tighter: 5<3 || (5<10 && 10>50)
    [InlineData("(fast < 3 || fast < slow) && slow > 5", 5, 10, true)]
    [InlineData("1.5e1 == 15", 1, 1, true)]
    [InlineData(".5 < 1", 1, 1, true)]
    public void Evaluates(string text, double fast, double slow, bool expected) => Assert.Equal(expected, Eval(text, fast, slow));

    [Fact]
    public void Hyphenated_names_resolve_and_spaced_minus_subtracts()
    {
        Assert.True(Eval("stop-loss < size * 3", 1, 1, size: 1, stopLoss: 2));
        Assert.True(Eval("slow - fast == 5", 5, 10));
    }

    [Fact]
    public void Division_by_zero_follows_ieee_and_never_throws()
    {
        Assert.True(Eval("slow / (fast - 5) > 1", 5, 10)); // 10/0 = +inf
        Assert.False(Eval("(fast - 5) / (fast - 5) > 0", 5, 10)); // 0/0 = NaN: every comparison is false
        Assert.False(Eval("(fast - 5) / (fast - 5) <= 0", 5, 10));
    }

    [Theory]
    [InlineData("fast < slwo", "unknown parameter 'slwo' (known: fast, qty, size, slow, stop-loss) at column 8")]
    [InlineData("fast-slow > 2", "unknown parameter 'fast-slow'")]
    [InlineData("fast <", "expression ends too early")]
    [InlineData("fast + 1", "is a number, not a condition")]
    [InlineData("fast < slow < 3", "comparisons do not chain")]
    [InlineData("fast = slow", "'=' is not an operator; compare with '=='")]
    [InlineData("fast < slow & slow > 3", "use '&&'")]
    [InlineData("fast && slow", "'&&' needs conditions on both sides")]
    [InlineData("(fast < slow) + 1 > 2", "'+' needs numbers on both sides")]
    [InlineData("!fast", "'!' needs conditions")]
    [InlineData("(fast < slow", "expected ')'")]
    [InlineData("fast < slow)", "unexpected ')'")]
    [InlineData("fast < $", "unexpected character '$' at column 8")]
    [InlineData("  ", "--where needs a condition")]
    [InlineData("System.IO.File.Delete(\"x\") == 0", "unexpected character")]
    public void Rejects_with_one_clear_line(string text, string expected)
    {
        var e = Assert.Throws<OptimizerException>(() => Constraint.Parse(text, Names));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Explain_shows_precedence()
    {
        Assert.Equal("(fast < 3 || (fast < slow && slow > 50))", Constraint.Parse("fast < 3 || fast < slow && slow > 50", Names).Explain());
        Assert.Equal("(fast + (slow * 2)) == 25", Constraint.Parse("fast + slow * 2 == 25", Names).Explain());
    }
}
