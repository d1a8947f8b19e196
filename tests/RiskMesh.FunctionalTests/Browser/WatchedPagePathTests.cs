namespace RiskMesh.FunctionalTests.Browser;

/// <summary>The address pattern behind <see cref="WatchedPage.WaitForPathAsync"/>: the whole path, never a part of it.</summary>
public sealed class WatchedPagePathTests
{
    [Theory]
    [InlineData("/signin", "http://127.0.0.1:5123/signin")]
    [InlineData("/signin", "http://127.0.0.1:5123/signin?returnUrl=/rankings")]
    [InlineData("/signin", "https://riskmesh.example/signin#key")]
    [InlineData("/dashboard/", "http://localhost:8080/dashboard/")]
    [InlineData("/reference", "http://[::1]:5000/reference?x=1")]
    public void PathPattern_SamePathWithAnyQueryOrFragment_Matches(string path, string url) =>
        Assert.Matches(WatchedPage.PathPattern(path), url);

    [Theory]
    [InlineData("/signin", "http://127.0.0.1:5123/signin-elsewhere")]
    [InlineData("/signin", "http://127.0.0.1:5123/signinx?returnUrl=/")]
    [InlineData("/signin", "http://127.0.0.1:5123/rankings?next=/signin")]
    [InlineData("/signin", "http://127.0.0.1:5123/console/signin")]
    [InlineData("/dashboard/", "http://localhost:8080/dashboard")]
    [InlineData("/a.b", "http://localhost:8080/aXb")]
    public void PathPattern_OtherPath_DoesNotMatch(string path, string url) =>
        Assert.DoesNotMatch(WatchedPage.PathPattern(path), url);
}
