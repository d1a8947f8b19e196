namespace RiskMesh.Scoring.Topologies;

/// <summary>A topology could not be parsed or is not valid; <see cref="Problems"/> lists every reason.</summary>
public sealed class TopologyException : Exception
{
    /// <summary>Creates an exception for a single problem.</summary>
    public TopologyException(string message)
        : base(message)
    {
        Problems = [message];
    }

    /// <summary>Creates an exception for a single problem caused by another exception.</summary>
    public TopologyException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Creates an exception listing several problems under a one-line heading.</summary>
    /// <param name="heading">What failed, e.g. "The topology is not valid".</param>
    /// <param name="problems">Every problem found, each a sentence naming the entity and field concerned.</param>
    public TopologyException(string heading, IReadOnlyList<string> problems)
        : base(Describe(heading, problems))
    {
        Problems = problems;
    }

    /// <summary>Every problem found, each a sentence naming the entity and field concerned.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Describe(string heading, IReadOnlyList<string> problems) => problems.Count switch
    {
        0 => heading + ".",
        1 => $"{heading}: {problems[0]}",
        _ => $"{heading} ({problems.Count} problems):{Environment.NewLine}- {string.Join(Environment.NewLine + "- ", problems)}",
    };
}
