using System.CommandLine;

namespace Quant.Cli;

/// <summary>
/// One style for the value placeholders of <c>--help</c>, whatever command declared the option: a placeholder is in
/// capitals (<c>--cash &lt;CASH&gt;</c>, like <c>--data &lt;PATH&gt;</c>), a list of literal choices stays lower case
/// (<c>&lt;quote|received&gt;</c>). Without this, every option that does not set a help name shows the library's
/// default, its own name in lower case (<c>--cash &lt;cash&gt;</c>), next to options that do.
/// </summary>
internal static class HelpStyle
{
    /// <summary>Gives every value-taking option of <paramref name="root"/>'s tree that has no help name its name in capitals.</summary>
    public static void Apply(Command root)
    {
        var pending = new Stack<Command>([root]);
        while (pending.TryPop(out var command))
        {
            foreach (var sub in command.Subcommands)
            {
                pending.Push(sub);
            }

            foreach (var option in command.Options)
            {
                // A switch (bool) shows no placeholder; the built-in help and version options take no value either.
                if (option.HelpName is null && option.ValueType != typeof(bool) && option.Arity.MaximumNumberOfValues > 0)
                {
                    option.HelpName = option.Name.TrimStart('-').ToUpperInvariant();
                }
            }
        }
    }
}
