namespace RiskMesh.Grains.Security;

/// <summary>The stored record of one API key (the key itself is never stored, only its hash as the grain key).</summary>
[GenerateSerializer, Alias("riskmesh.ApiKeyState")]
internal sealed class ApiKeyState
{
    /// <summary>Non-secret identifier.</summary>
    [Id(0)]
    public string Id { get; set; } = "";

    /// <summary>The key's role.</summary>
    [Id(1)]
    public string Role { get; set; } = "";

    /// <summary>City slugs the key may act for.</summary>
    [Id(2)]
    public List<string> Cities { get; set; } = [];

    /// <summary>The administrator's label.</summary>
    [Id(3)]
    public string Label { get; set; } = "";

    /// <summary>When it was issued.</summary>
    [Id(4)]
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>True once revoked.</summary>
    [Id(5)]
    public bool Revoked { get; set; }
}

/// <summary>The stored directory of every key ever issued.</summary>
[GenerateSerializer, Alias("riskmesh.ApiKeyDirectoryState")]
internal sealed class ApiKeyDirectoryState
{
    /// <summary>Every key, oldest first.</summary>
    [Id(0)]
    public List<ApiKeyDirectoryEntry> Keys { get; set; } = [];
}

/// <summary>One key in the directory: its metadata and the hash that names its <c>IApiKeyGrain</c>.</summary>
[GenerateSerializer, Alias("riskmesh.ApiKeyDirectoryEntry")]
internal sealed class ApiKeyDirectoryEntry
{
    /// <summary>Hex SHA-256 of the key: not secret, and needed to revoke by id.</summary>
    [Id(0)]
    public string Hash { get; set; } = "";

    /// <summary>The key's record, as also held by its own grain.</summary>
    [Id(1)]
    public ApiKeyState Key { get; set; } = new();
}
