namespace RiskMesh.Grains.Tests.Persistence;

/// <summary>A test grain that registers a durable reminder, to exercise the reminder table.</summary>
[Alias("RiskMesh.Grains.Tests.Persistence.IReminderProbeGrain")]
public interface IReminderProbeGrain : IGrainWithStringKey
{
    /// <summary>Registers (or updates) the reminder; returns whether the runtime now reports it.</summary>
    [Alias("Register")]
    Task<bool> RegisterAsync();

    /// <summary>Whether the runtime reports the reminder.</summary>
    [Alias("Exists")]
    Task<bool> ExistsAsync();

    /// <summary>Unregisters the reminder if present.</summary>
    [Alias("Unregister")]
    Task UnregisterAsync();
}

/// <summary>Reminder probe: a long period, so it never fires during a test.</summary>
public sealed class ReminderProbeGrain : Grain, IReminderProbeGrain, IRemindable
{
    private const string ReminderName = "probe";
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(30);

    /// <inheritdoc />
    public async Task<bool> RegisterAsync()
    {
        await this.RegisterOrUpdateReminder(ReminderName, Period, Period);
        return await ExistsAsync();
    }

    /// <inheritdoc />
    public async Task<bool> ExistsAsync() => await this.GetReminder(ReminderName) is not null;

    /// <inheritdoc />
    public async Task UnregisterAsync()
    {
        var reminder = await this.GetReminder(ReminderName);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <inheritdoc />
    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
