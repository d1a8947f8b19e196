using Microsoft.Data.Sqlite;
using Npgsql;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Grains.Tests.Persistence;

public sealed class DatabaseSettingsTests
{
    [Fact]
    public void ForSqliteFile_RelativePath_PoolsWithBusyTimeoutAndPrivateCache()
    {
        var settings = DatabaseSettings.ForSqliteFile("data/riskmesh.db");

        var builder = new SqliteConnectionStringBuilder(settings.ConnectionString);
        Assert.True(settings.IsSqlite);
        Assert.Equal(RiskMeshStorage.SqliteInvariant, settings.Invariant);
        Assert.True(Path.IsPathRooted(builder.DataSource));
        Assert.EndsWith(Path.Combine("data", "riskmesh.db"), builder.DataSource, StringComparison.Ordinal);
        Assert.Equal(SqliteOpenMode.ReadWriteCreate, builder.Mode);
        Assert.True(builder.Pooling);
        Assert.Equal(DatabaseSettings.DefaultSqliteTimeoutSeconds, builder.DefaultTimeout);
        Assert.NotEqual(SqliteCacheMode.Shared, builder.Cache);
    }

    [Fact]
    public void ForPostgres_NoPoolSize_CapsPoolAtTwenty()
    {
        var settings = DatabaseSettings.ForPostgres("Host=db;Username=app;Database=riskmesh");

        Assert.True(settings.IsPostgres);
        Assert.Equal(DatabaseSettings.DefaultPostgresPoolSize, new NpgsqlConnectionStringBuilder(settings.ConnectionString).MaxPoolSize);
    }

    [Theory]
    [InlineData("Host=db;Maximum Pool Size=7")]
    [InlineData("Host=db;maxpoolsize=7")]
    public void ForPostgres_PoolSizeGiven_KeepsIt(string connectionString)
    {
        var settings = DatabaseSettings.ForPostgres(connectionString);

        Assert.Equal(7, new NpgsqlConnectionStringBuilder(settings.ConnectionString).MaxPoolSize);
    }

    [Fact]
    public void Create_SqliteWithoutTimeout_AddsBusyTimeout()
    {
        var settings = DatabaseSettings.Create(RiskMeshStorage.SqliteInvariant, "Data Source=/tmp/x.db");

        Assert.Equal(DatabaseSettings.DefaultSqliteTimeoutSeconds, new SqliteConnectionStringBuilder(settings.ConnectionString).DefaultTimeout);
    }

    [Fact]
    public void Create_UnknownInvariant_Throws()
    {
        Assert.Throws<ArgumentException>(() => DatabaseSettings.Create("Microsoft.Data.Sqlite", "Data Source=x.db"));
    }

    [Fact]
    public void ToString_PostgresWithPassword_HidesPassword()
    {
        var settings = DatabaseSettings.ForPostgres("Host=db;Username=app;Password=s3cret-value");

        Assert.DoesNotContain("s3cret-value", settings.ToString(), StringComparison.Ordinal);
    }
}
