using System.Security.Cryptography;
using System.Text;
using RiskMesh.Abstractions.Security;

namespace RiskMesh.FunctionalTests.Security;

/// <summary>The stored form of a key: the lower-case hex SHA-256 of its UTF-8 text, whatever its length.</summary>
public sealed class ApiKeySecretTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(84)]
    [InlineData(85)]
    [InlineData(400)]
    public void Hash_OfAnyText_IsTheHexSha256OfItsUtf8(int length)
    {
        // Non-ASCII characters on both sides of the length at which the UTF-8 text stops fitting on the stack.
        var text = string.Concat(Enumerable.Range(0, length).Select(i => i % 3 == 0 ? "é" : "k"));

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), ApiKeySecret.Hash(text));
    }

    [Fact]
    public void Hash_OfAGeneratedKey_IsTheHexSha256OfItsUtf8()
    {
        var key = ApiKeySecret.Generate();

        Assert.Equal(ApiKeySecret.KeyLength, key.Length);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), ApiKeySecret.Hash(key));
    }
}
