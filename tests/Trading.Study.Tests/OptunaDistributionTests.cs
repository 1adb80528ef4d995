using System.Text.Json;
using Trading.Core.Strategies;
using Trading.Optimizer.Space;

namespace Trading.Study.Tests;

/// <summary>Axes as Optuna distributions: the JSON Optuna's json_to_distribution reads, and exact round trips of values.</summary>
public sealed class OptunaDistributionTests
{
    private static ParameterSpec Spec(string name) => new(name, ParameterKind.Real, 1, 0, 1000, 0.01, "test");

    [Fact]
    public void Whole_number_range_is_an_int_distribution_and_maps_back()
    {
        var d = new OptunaDistribution(new ParameterAxis(Spec("fast"), [5, 10, 15, 20], isRange: true));
        using var json = JsonDocument.Parse(d.Json);
        Assert.Equal("IntDistribution", json.RootElement.GetProperty("name").GetString());
        var a = json.RootElement.GetProperty("attributes");
        Assert.Equal(5, a.GetProperty("low").GetInt64());
        Assert.Equal(20, a.GetProperty("high").GetInt64());
        Assert.Equal(5, a.GetProperty("step").GetInt64());
        Assert.False(a.GetProperty("log").GetBoolean());
        Assert.Equal(15, d.Internal(2));
        Assert.Equal(2, d.Digit(15));
        Assert.Equal(-1, d.Digit(16));
    }

    [Fact]
    public void Fractional_range_is_a_float_distribution_with_its_step()
    {
        var d = new OptunaDistribution(new ParameterAxis(Spec("k"), [0.5, 0.75, 1.0], isRange: true));
        using var json = JsonDocument.Parse(d.Json);
        Assert.Equal("FloatDistribution", json.RootElement.GetProperty("name").GetString());
        Assert.Equal(0.25, json.RootElement.GetProperty("attributes").GetProperty("step").GetDouble());
        Assert.Equal(1, d.Digit(0.75));
    }

    [Fact]
    public void List_axis_is_categorical_and_stores_the_choice_index()
    {
        var d = new OptunaDistribution(new ParameterAxis(Spec("n"), [30, 7, 12], isRange: false));
        using var json = JsonDocument.Parse(d.Json);
        Assert.Equal("CategoricalDistribution", json.RootElement.GetProperty("name").GetString());
        Assert.Equal([30, 7, 12], json.RootElement.GetProperty("attributes").GetProperty("choices").EnumerateArray().Select(c => c.GetInt32()));
        Assert.Equal(1, d.Internal(1));
        Assert.Equal(2, d.Digit(2));
        Assert.Equal(-1, d.Digit(3));
    }

    [Fact]
    public void Url_keeps_the_password_out_of_its_display()
    {
        var url = StudyUrl.Parse("postgresql://quant:s3cret@db.example:6543/studies");
        Assert.Equal("quant@db.example:6543/studies", url.Display);
        Assert.DoesNotContain("s3cret", url.ToString(), StringComparison.Ordinal);
        Assert.Contains("Password=s3cret", url.ConnectionString, StringComparison.Ordinal);
        Assert.Throws<StudyException>(() => StudyUrl.Parse("mysql://x@h/db"));
        Assert.Throws<StudyException>(() => StudyUrl.Parse("postgresql://x@h:5432/"));
    }
}
