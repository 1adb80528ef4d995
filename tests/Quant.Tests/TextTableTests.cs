using Quant.Cli;

namespace Quant.Tests;

public sealed class TextTableTests
{
    [Fact]
    public void Columns_take_the_widest_cell_and_right_aligned_ones_pad_on_the_left()
    {
        var table = new TextTable("metric", "value>") { Title = "t" };
        table.AddRow("a", "1").AddRow("longer", "12,345");
        Assert.Equal(
            "t\n" +
            "┌────────┬────────┐\n" +
            "│ metric │  value │\n" +
            "├────────┼────────┤\n" +
            "│ a      │      1 │\n" +
            "│ longer │ 12,345 │\n" +
            "└────────┴────────┘\n",
            table.ToString());
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_cells_is_refused() =>
        Assert.Throws<ArgumentException>(() => new TextTable("a", "b").AddRow("only one"));
}
