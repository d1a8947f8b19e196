using System.Collections.Immutable;
using RiskMesh.Abstractions;
using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Api.Notices;

/// <summary>
/// Which later notice of a city replaced each notice (<see cref="NoticeView.SupersededBy"/>). A notice speaks of one
/// thing: a change of level of the city (escalation, de-escalation) states the city's level and its actions, replaced by
/// the city's next change of level; a port above its city states that the port stands at a level above the city's,
/// replaced by the next <c>port-above-city</c> or <c>port-no-longer-above-city</c> notice of the same port or by the
/// city's next change of level to the port's level or higher (the port is then no longer above it), whichever came
/// first; a port no longer above its city, by the port's next notice; a testing shortfall (started, clearly worse or
/// ended) by the city's next one. "Next" is issue order (the
/// sequence), as the stream and webhooks deliver notices: the newest decision stands, also after the clock moved back
/// and a day was decided again. A notice dated after the clock's day (the clock was moved back after it was issued) is
/// not in force: it says so (<see cref="NoticeView.AheadOfClock"/>) and replaces no notice dated up to the clock's day,
/// so the notice that set the level in force on the clock's day reads as current again. Moving the clock forward past
/// its day makes it current once more (the day decided again with the same data issues nothing twice).
/// </summary>
public static class NoticeSupersession
{
    /// <summary>
    /// The notices with <see cref="NoticeView.SupersededBy"/> and <see cref="NoticeView.AheadOfClock"/> set from the
    /// others in the list and the clock's day, in the order given. The list must hold every notice of the city issued
    /// after the earliest one it holds (a list read after a sequence number does): a notice's successor is always
    /// issued after it.
    /// </summary>
    public static ImmutableArray<NoticeView> Mark(ImmutableArray<NoticeView> notices, DateOnly today)
    {
        if (notices.IsDefaultOrEmpty)
        {
            return notices.IsDefault ? [] : notices;
        }

        // A notice up to the clock's day is replaced only by others up to it; one ahead of the clock by any later one
        // (what was decided for its day and after stands as the newest decision, as before the clock moved back).
        var current = Successors(notices.Where(n => n.Date <= today));
        var ahead = notices.Any(n => n.Date > today) ? Successors(notices) : current;
        return [.. notices.Select(n => n.Date > today
            ? n with { SupersededBy = ahead.GetValueOrDefault(n.Sequence), AheadOfClock = true, LevelChangedLater = LevelChangedLater(n, notices) }
            : n with { SupersededBy = current.GetValueOrDefault(n.Sequence), LevelChangedLater = LevelChangedLater(n, notices) })];
    }

    /// <summary>
    /// For a notice that states the city's level without changing it, the last change of the city's level issued after
    /// it for the same day, when it left the city at another level (<see cref="NoticeView.LevelChangedLater"/>): a
    /// shortfall told at level 1 and the escalation to level 3 of that day read as two levels for one day (newcomer 22a,
    /// M2), and so did a port told above the city "at level 1" (closing note 22).
    /// </summary>
    private static NoticeLevelChange? LevelChangedLater(NoticeView notice, IEnumerable<NoticeView> others)
    {
        if (StatedCityLevel(notice) is not { } stated)
        {
            return null;
        }

        var change = others
            .Where(n => n.Sequence > notice.Sequence && n.Date == notice.Date && n.Port is null && n.Kind is NoticeKinds.Escalation or NoticeKinds.DeEscalation)
            .MaxBy(n => n.Sequence);
        return change is not null && change.NewLevel != stated ? new NoticeLevelChange(change.Id, change.NewLevel, change.NewLevelName) : null;
    }

    // The city's level a notice states without changing it: its newLevel for the city's own news (local transmission,
    // a shortfall), its previousLevel for a port's standing against the city; null for a change of level or an unknown kind.
    private static int? StatedCityLevel(NoticeView notice) => notice.Kind switch
    {
        NoticeKinds.LocalTransmission or NoticeKinds.TestingShortfall or NoticeKinds.TestingShortfallEnded => notice.NewLevel,
        NoticeKinds.PortAboveCity or NoticeKinds.PortNoLongerAboveCity => notice.PreviousLevel,
        _ => null,
    };

    private static Dictionary<long, string> Successors(IEnumerable<NoticeView> notices)
    {
        // From the newest back: the latest notice seen of each subject is the successor of the next older one, and the
        // latest change of the city's level to each level or higher the successor of an older port above that level.
        var successors = new Dictionary<long, string>();
        var latest = new Dictionary<string, NoticeView>(StringComparer.Ordinal);
        var reaching = new Dictionary<int, NoticeView>();
        foreach (var notice in notices.OrderByDescending(n => n.Sequence))
        {
            if (SubjectOf(notice) is not { } subject)
            {
                continue;
            }

            var successor = latest.GetValueOrDefault(subject);
            if (notice.Kind == NoticeKinds.PortAboveCity && reaching.GetValueOrDefault(notice.NewLevel) is { } cityReached
                && (successor is null || cityReached.Sequence < successor.Sequence))
            {
                successor = cityReached;
            }

            if (successor is not null)
            {
                successors[notice.Sequence] = successor.Id;
            }

            latest[subject] = notice;
            if (subject == LevelSubject)
            {
                for (var level = 0; level <= notice.NewLevel; level++)
                {
                    reaching[level] = notice;
                }
            }
        }

        return successors;
    }

    /// <summary>
    /// One notice marked from the notices issued after it (<paramref name="later"/>, read after its sequence number):
    /// the answer to an acknowledgement carries what a list would say of it.
    /// </summary>
    public static NoticeView Mark(NoticeView notice, ImmutableArray<NoticeView> later, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var subject = SubjectOf(notice);
        var aheadOfClock = notice.Date > today;
        var successor = subject is null || later.IsDefault
            ? null
            : later.Where(n => n.Sequence > notice.Sequence && (aheadOfClock || n.Date <= today) && Replaces(n, notice, subject)).MinBy(n => n.Sequence);
        return notice with { SupersededBy = successor?.Id, AheadOfClock = aheadOfClock ? true : null, LevelChangedLater = later.IsDefault ? null : LevelChangedLater(notice, later) };
    }

    private const string LevelSubject = "level";

    // Whether a later notice replaces one of the given subject: one of the same subject does, and a change of the
    // city's level does a port above the city once the city stands at that port's level or higher.
    private static bool Replaces(NoticeView later, NoticeView notice, string subject) =>
        SubjectOf(later) is { } laterSubject
        && (laterSubject == subject
            || (notice.Kind == NoticeKinds.PortAboveCity && laterSubject == LevelSubject && later.NewLevel >= notice.NewLevel));

    // What a notice states, as a key: notices with the same key replace one another. An unknown kind (from a later
    // version) states nothing this version knows to replace.
    private static string? SubjectOf(NoticeView notice) => notice.Kind switch
    {
        NoticeKinds.Escalation or NoticeKinds.DeEscalation => LevelSubject,
        // A port no longer above the city speaks of the same port: it replaces the port's notice, and the port's next
        // rise above the city replaces it.
        NoticeKinds.PortAboveCity or NoticeKinds.PortNoLongerAboveCity when notice.Port is { } port => "port:" + port,
        // The city's testing shortfall: a worsening or its end replaces what was told of it, and a new shortfall its end.
        NoticeKinds.TestingShortfall or NoticeKinds.TestingShortfallEnded => "testing",
        _ => null,
    };
    /// <summary>
    /// <see cref="Mark(ImmutableArray{NoticeView}, DateOnly)"/> by the clock's day, read past the process's cache when a
    /// notice is dated after the cached day (<see cref="RiskClock.TodayNotBeforeAsync"/>).
    /// </summary>
    public static async ValueTask<ImmutableArray<NoticeView>> MarkAsync(ImmutableArray<NoticeView> notices, RiskClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return Mark(notices, await clock.TodayNotBeforeAsync(Latest(notices)));
    }

    /// <summary><see cref="Mark(NoticeView, ImmutableArray{NoticeView}, DateOnly)"/> by the clock's day, as <see cref="MarkAsync(ImmutableArray{NoticeView}, RiskClock)"/> reads it.</summary>
    public static async ValueTask<NoticeView> MarkAsync(NoticeView notice, ImmutableArray<NoticeView> later, RiskClock clock)
    {
        ArgumentNullException.ThrowIfNull(notice);
        ArgumentNullException.ThrowIfNull(clock);
        var latest = Latest(later);
        return Mark(notice, later, await clock.TodayNotBeforeAsync(notice.Date > latest ? notice.Date : latest));
    }

    /// <summary>The latest day the notices are dated by (the earliest day there is for none).</summary>
    public static DateOnly Latest(ImmutableArray<NoticeView> notices)
    {
        var latest = DateOnly.MinValue;
        foreach (var notice in notices.IsDefault ? [] : notices)
        {
            latest = notice.Date > latest ? notice.Date : latest;
        }

        return latest;
    }
}
