namespace RiskMesh.Api.Security;

/// <summary>
/// Endpoint metadata: a browser that opens this endpoint without credentials is sent to the sign-in page
/// (instead of a 401 with a Basic challenge), and one whose key lacks the role sees an HTML refusal.
/// </summary>
/// <param name="RootPath">The path of the area's root (e.g. <c>/dashboard</c>), normalised to end in a slash when it is the return address.</param>
internal sealed record BrowserSignInMetadata(string RootPath);
