namespace RiskMesh.Grains.Persistence;

/// <summary>Names shared by every grain and host that touches RiskMesh's grain storage.</summary>
public static class RiskMeshStorage
{
    /// <summary>The grain storage name: <c>[PersistentState("...", RiskMeshStorage.Name)]</c>.</summary>
    public const string Name = "riskmesh";

    /// <summary>The storage of a city's response state alone (<see cref="ResponseStorage"/>): RiskMesh's own tables.</summary>
    public const string ResponseName = "riskmesh-response";

    /// <summary>ADO.NET invariant for SQLite; Orleans maps it to Microsoft.Data.Sqlite.</summary>
    public const string SqliteInvariant = "System.Data.SQLite";

    /// <summary>ADO.NET invariant for PostgreSQL (Npgsql).</summary>
    public const string PostgresInvariant = "Npgsql";
}
