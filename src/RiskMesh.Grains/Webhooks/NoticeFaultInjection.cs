namespace RiskMesh.Grains.Webhooks;

/// <summary>
/// Test hooks (<c>RiskMesh:TestHooks</c>), all off by default and never meant for production: they let the durability
/// tests crash a real silo process at the exact point a crash would hurt.
/// </summary>
public sealed class NoticeFaultInjection
{
    /// <summary>The configuration section.</summary>
    public const string Section = "RiskMesh:TestHooks";

    /// <summary>Everything off.</summary>
    public static NoticeFaultInjection Off { get; } = new();

    /// <summary>
    /// When true, the process kills itself right after a city has stored a new notice and before the notice is handed
    /// to the webhook outbox (the window in which a crash used to lose the delivery).
    /// </summary>
    public bool KillAfterNoticeStored { get; set; }
}
