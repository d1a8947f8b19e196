namespace RiskMesh.Cli.Arguments;

/// <summary>A command-line option a command accepts: <c>--name value</c> when it takes a value, else a switch.</summary>
/// <param name="Name">The long name without dashes, e.g. <c>batch</c>.</param>
/// <param name="TakesValue">Whether a value follows (<c>--batch 500</c> or <c>--batch=500</c>).</param>
/// <param name="Repeatable">Whether it may be given more than once (<c>--city a --city b</c>).</param>
/// <param name="Description">One line for the usage text.</param>
internal sealed record OptionSpec(string Name, bool TakesValue, bool Repeatable, string Description)
{
    /// <summary>A switch without a value.</summary>
    public static OptionSpec Switch(string name, string description) => new(name, false, false, description);

    /// <summary>An option with one value.</summary>
    public static OptionSpec Value(string name, string description) => new(name, true, false, description);

    /// <summary>An option with a value that may repeat.</summary>
    public static OptionSpec Repeated(string name, string description) => new(name, true, true, description);
}
