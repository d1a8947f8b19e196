using System.Net;
using System.Text;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Input;

/// <summary>The sign-in form's input: odd return paths and oversized values answer 4xx or a redirect, never 500.</summary>
public sealed class SignInInputTests(RiskMeshHostFixture host) : IClassFixture<RiskMeshHostFixture>
{
    [Theory]
    [InlineData("/dashboard/?city=städte", "/dashboard/?city=st%C3%A4dte")]
    [InlineData("/dashboard/北京", "/dashboard/%E5%8C%97%E4%BA%AC")]
    [InlineData("/dashboard/\ud800x", "/dashboard/%EF%BF%BD%EF%BF%BD%EF%BF%BDx")]
    public async Task SignIn_NonAsciiReturnUrl_RedirectsWithAnAsciiLocation(string returnUrl, string expected)
    {
        using var client = NoRedirects();

        var response = await client.PostAsync("/signin", Form(("key", host.AdminKey), ("returnUrl", returnUrl)));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SignIn_FormValueOverFourMegabytes_400NamingTheForm()
    {
        using var client = NoRedirects();

        var response = await client.PostAsync("/signin", Form(("key", new string('k', 5 * 1024 * 1024)), ("returnUrl", "/dashboard/")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("sign-in form could not be read", (await response.BodyAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_ManyFields_400()
    {
        using var client = NoRedirects();
        var fields = Enumerable.Range(0, 5000).Select(i => ($"f{i}", "v")).Append(("key", host.AdminKey)).ToArray();

        var response = await client.PostAsync("/signin", Form(fields));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private HttpClient NoRedirects() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = host.BaseAddress };

    private static ByteArrayContent Form(params (string Name, string Value)[] fields)
    {
        // Written by hand: FormUrlEncodedContent refuses a lone surrogate, which is exactly what a hostile client sends.
        var body = string.Join("&", fields.Select(f => $"{Escape(f.Name)}={Escape(f.Value)}"));
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        content.Headers.ContentType = new("application/x-www-form-urlencoded");
        return content;
    }

    private static string Escape(string text)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '-' or '_' or '.' or '~')
            {
                builder.Append(text[i]);
            }
            else if (char.IsSurrogate(text[i]) && !(i + 1 < text.Length && char.IsSurrogatePair(text[i], text[i + 1])))
            {
                // A lone surrogate as a browser would never encode it: the three bytes of its code point (CESU-style).
                var code = (int)text[i];
                builder.Append($"%{0xE0 | (code >> 12):X2}%{0x80 | ((code >> 6) & 0x3F):X2}%{0x80 | (code & 0x3F):X2}");
            }
            else
            {
                var length = char.IsSurrogatePair(text, i) ? 2 : 1;
                foreach (var b in Encoding.UTF8.GetBytes(text.Substring(i, length)))
                {
                    builder.Append($"%{b:X2}");
                }

                i += length - 1;
            }
        }

        return builder.ToString();
    }
}
