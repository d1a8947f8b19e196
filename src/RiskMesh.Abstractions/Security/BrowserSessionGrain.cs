namespace RiskMesh.Abstractions.Security;

/// <summary>
/// One browser session, keyed by the random id inside its cookie: remembers that the session was ended at sign-out,
/// so the cookie stops working on every API node even though the browser (or a thief) still holds it.
/// </summary>
[Alias("riskmesh.IBrowserSessionGrain")]
public interface IBrowserSessionGrain : IGrainWithStringKey
{
    /// <summary>True once the session has been ended.</summary>
    [Alias("IsEnded"), Orleans.Concurrency.ReadOnly]
    Task<bool> IsEnded();

    /// <summary>Ends the session for good (harmless when repeated).</summary>
    [Alias("End")]
    Task End();
}
