using RiskMesh.Grains.Persistence;

namespace RiskMesh.Silo.Hosting;

/// <summary>
/// A silo on PostgreSQL that does not apply the schema itself (<c>ApplySchemaOnStart</c> false, its default there)
/// starts only on the schema of its own build.
/// </summary>
/// <remarks>
/// Without this, a new build on a database whose schema an older build applied answered ready, then failed every
/// evaluation and ingest with <c>relation "riskmesh_response" does not exist</c>, and nothing said to apply the schema
/// (review 15 M2). The fingerprint recorded by <see cref="SchemaInstaller"/> is the build's scripts' hash, so any
/// difference (older, newer, none) stops the silo before it joins the cluster.
/// </remarks>
public static class SchemaCheck
{
    /// <summary>Throws <see cref="SchemaNotAppliedException"/> when a PostgreSQL database holds another schema than this build's.</summary>
    public static void ThrowIfNotApplied(DatabaseSettings db)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.IsSqlite)
        {
            // The embedded database: its host applies the schema at every start (ApplySchemaOnStart true there).
            return;
        }

        var expected = SchemaInstaller.Fingerprint(db);
        var applied = SchemaInstaller.AppliedFingerprintAsync(db).GetAwaiter().GetResult();
        if (!string.Equals(applied, expected, StringComparison.Ordinal))
        {
            throw new SchemaNotAppliedException(
                $"the PostgreSQL database holds {(applied is null ? "no RiskMesh schema" : $"the schema of another build (fingerprint {applied[..12]}… in {SchemaInstaller.VersionTable})")}, " +
                $"not this build's ({expected[..12]}…). Apply it first with this build: `riskmesh-silo schema apply` (deploy/local-cluster.sh up and the " +
                "compose file's schema service run it, on Kubernetes the Job riskmesh-schema in k8s/02-schema-job.yaml), or set RiskMesh:Database:ApplySchemaOnStart=true.");
        }
    }
}

/// <summary>The database's schema is not this build's; the silo does not start (exit code 78).</summary>
public sealed class SchemaNotAppliedException(string message) : Exception(message);
