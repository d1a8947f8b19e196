using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RiskMesh.Abstractions;
using RiskMesh.Abstractions.Security;

namespace RiskMesh.Grains.Security;

/// <summary>
/// On a silo's first start with no key at all, issues an admin key and writes it to <c>&lt;data dir&gt;/admin.key</c>
/// (mode 0600), logging the path and never the key.
/// </summary>
internal sealed partial class AdminKeyBootstrapper : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The file the first admin key is written to, inside the data directory.</summary>
    public const string FileName = "admin.key";

    /// <summary>
    /// The label of the bootstrap key in key listings. Without brackets of its own: an acknowledgement shows its key as
    /// "label (id)" (console, CLI, the API's 409), which read "bootstrap admin (admin.key) (key-…)" (newcomer 12).
    /// </summary>
    public const string Label = "bootstrap admin key from admin.key";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly IGrainFactory _grains;
    private readonly ILogger<AdminKeyBootstrapper> _logger;
    private readonly string _dataDirectory;

    /// <summary>Creates the bootstrapper for a data directory.</summary>
    public AdminKeyBootstrapper(IGrainFactory grains, ILogger<AdminKeyBootstrapper> logger, string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        _grains = grains;
        _logger = logger;
        _dataDirectory = Path.GetFullPath(dataDirectory);
    }

    /// <summary>The path of the admin key file.</summary>
    public string KeyFilePath => Path.Combine(_dataDirectory, FileName);

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);

        // Active: the silo has joined its cluster and serves grain calls, which the key directory needs.
        lifecycle.Subscribe(nameof(AdminKeyBootstrapper), ServiceLifecycleStage.Active, BootstrapAsync);
    }

    /// <summary>Issues and writes the admin key if no key exists; does nothing otherwise.</summary>
    public async Task BootstrapAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_dataDirectory);

        // The file is created (owner-only) before the key is issued, so an unwritable directory fails start-up
        // before a key exists that nobody could ever read.
        var temporary = Path.Combine(_dataDirectory, $".{FileName}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        try
        {
            await using (var stream = new FileStream(temporary, options))
            {
                var issued = await _grains.GetGrain<IApiKeyDirectoryGrain>(GrainKeys.Singleton).IssueInitialAdmin(Label);
                if (issued is null)
                {
                    LogKeysExist(_logger);
                    return;
                }

                await using var writer = new StreamWriter(stream);
                await writer.WriteLineAsync(issued.Key.AsMemory(), cancellationToken);
                await writer.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
                LogIssued(_logger, issued.Info.Id, KeyFilePath);
            }

            File.Move(temporary, KeyFilePath, overwrite: true);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(KeyFilePath, OwnerOnly);
            }

            LogWritten(_logger, KeyFilePath);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "API keys already exist; no admin key is issued at start-up")]
    private static partial void LogKeysExist(ILogger logger);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "No API key existed: issued admin key {KeyId}, writing it to {Path}")]
    private static partial void LogIssued(ILogger logger, string keyId, string path);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "The first admin API key is in {Path} (readable by its owner only); use it to issue other keys, then keep it safe or delete the file")]
    private static partial void LogWritten(ILogger logger, string path);
}

/// <summary>Registers the <see cref="AdminKeyBootstrapper"/> on a silo.</summary>
public static class AdminKeyBootstrapExtensions
{
    /// <summary>Where the first admin key is written in a data directory (whether or not it is there now).</summary>
    public static string AdminKeyFile(string dataDirectory) => Path.Combine(dataDirectory, AdminKeyBootstrapper.FileName);

    /// <summary>Issues an admin key into <c>&lt;dataDirectory&gt;/admin.key</c> when the silo starts and no key exists.</summary>
    public static ISiloBuilder AddRiskMeshAdminKeyBootstrap(this ISiloBuilder silo, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        silo.Services.AddSingleton(sp => new AdminKeyBootstrapper(
            sp.GetRequiredService<IGrainFactory>(),
            sp.GetRequiredService<ILogger<AdminKeyBootstrapper>>(),
            dataDirectory));
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<AdminKeyBootstrapper>());
        return silo;
    }
}
