using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace RiskMesh.Silo.Hosting;

/// <summary>
/// The data-protection key ring of a cluster, kept in PostgreSQL (<c>riskmesh_dataprotection_keys</c>, created by the
/// schema) and scoped by the Orleans service id, so every silo and API node reads and writes the same ring.
/// </summary>
/// <remarks>
/// Keys a node kept in a key ring directory before the cluster moved to this table are imported once, on first read:
/// webhook secrets and sessions they protected stay readable. Data protection reads the ring at start and caches it
/// (about a day, or sooner when it meets a key it does not know), so this is not on any request's path.
/// </remarks>
public sealed partial class PostgresKeyRing(string connectionString, string serviceId, string? importDirectory, ILogger<PostgresKeyRing> logger) : IXmlRepository
{
    /// <summary>The table, created by <c>riskmesh-silo schema apply</c>.</summary>
    public const string Table = "riskmesh_dataprotection_keys";

    private readonly Lock _importGate = new();
    private bool _imported;

    /// <inheritdoc />
    public IReadOnlyCollection<XElement> GetAllElements() => Explained(ReadAll);

    /// <inheritdoc />
    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        ArgumentException.ThrowIfNullOrWhiteSpace(friendlyName);
        Explained(() =>
        {
            using var connection = Open();
            return Insert(connection, friendlyName, element.ToString(SaveOptions.DisableFormatting));
        });
    }

    private List<XElement> ReadAll()
    {
        ImportOnce();
        using var connection = Open();
        using var command = new NpgsqlCommand($"SELECT xml FROM {Table} WHERE service_id = @service ORDER BY created_at, friendly_name", connection);
        command.Parameters.AddWithValue("service", serviceId);
        var elements = new List<XElement>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    private void ImportOnce()
    {
        lock (_importGate)
        {
            if (_imported)
            {
                return;
            }

            if (importDirectory is not null && System.IO.Directory.Exists(importDirectory))
            {
                using var connection = Open();
                var imported = 0;
                foreach (var file in System.IO.Directory.EnumerateFiles(importDirectory, "*.xml").Order(StringComparer.Ordinal))
                {
                    // The file ring names each file after the element's friendly name (key-<id>.xml, revocation-….xml).
                    imported += Insert(connection, Path.GetFileNameWithoutExtension(file), XElement.Load(file).ToString(SaveOptions.DisableFormatting));
                }

                if (imported > 0)
                {
                    LogImported(logger, imported, importDirectory);
                }
            }

            _imported = true;
        }
    }

    private int Insert(NpgsqlConnection connection, string friendlyName, string xml)
    {
        // A friendly name names one key (or revocation) for good: a second writer of the same name changes nothing.
        using var command = new NpgsqlCommand(
            $"INSERT INTO {Table} (service_id, friendly_name, xml) VALUES (@service, @name, @xml) ON CONFLICT (service_id, friendly_name) DO NOTHING",
            connection);
        command.Parameters.AddWithValue("service", serviceId);
        command.Parameters.AddWithValue("name", friendlyName);
        command.Parameters.AddWithValue("xml", xml);
        return command.ExecuteNonQuery();
    }

    private NpgsqlConnection Open()
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    // A cluster upgraded without applying the schema again has no table yet: say what to run, not "relation does not exist".
    private static T Explained<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            throw new InvalidOperationException($"The data-protection key ring table {Table} does not exist: apply the schema (riskmesh-silo schema apply) before starting the nodes.", ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported {Count} data-protection key(s) from {Directory} into the cluster's key ring in PostgreSQL")]
    private static partial void LogImported(ILogger logger, int count, string directory);
}
