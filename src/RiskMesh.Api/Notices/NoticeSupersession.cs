using System.Collections.Immutable;
using RiskMesh.Abstractions;
using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Api.Notices;

/// <summary>
/// Which later notice of a city replaced each notice (<see cref="NoticeView.SupersededBy"/>). A notice speaks of one
/// thing: a change of level of the city (escalation, de-escalation) states the city's level and its actions, replaced by
/// the city's next change of level; a port above its city states that port's level, replaced by the next
/// <c>port-above-city</c> notice of the same port. "Next" is issue order (the sequence), as the stream and webhooks
/// deliver notices: the newest decision stands, also after the clock moved back and a day was decided again.
/// </summary>
public static class NoticeSupersession
{
    /// <summary>
    /// The notices with <see cref="NoticeView.SupersededBy"/> set from the others in the list, in the order given. The
    /// list must hold every notice of the city issued after the earliest one it holds (a list read after a sequence
    /// number does): a notice's successor is always issued after it.
    /// </summary>
    public static ImmutableArray<NoticeView> Mark(ImmutableArray<NoticeView> notices)
    {
        if (notices.IsDefaultOrEmpty)
        {
            return notices.IsDefault ? [] : notices;
        }

        // From the newest back: the latest notice seen of each subject is the successor of the next older one.
        var successors = new Dictionary<long, string>();
        var latest = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var notice in notices.OrderByDescending(n => n.Sequence))
        {
            if (SubjectOf(notice) is not { } subject)
            {
                continue;
            }

            if (latest.TryGetValue(subject, out var later))
            {
                successors[notice.Sequence] = later;
            }

            latest[subject] = notice.Id;
        }

        return [.. notices.Select(n => n with { SupersededBy = successors.GetValueOrDefault(n.Sequence) })];
    }

    /// <summary>
    /// One notice marked from the notices issued after it (<paramref name="later"/>, read after its sequence number):
    /// the answer to an acknowledgement carries what a list would say of it.
    /// </summary>
    public static NoticeView Mark(NoticeView notice, ImmutableArray<NoticeView> later)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var subject = SubjectOf(notice);
        var successor = subject is null || later.IsDefault
            ? null
            : later.Where(n => n.Sequence > notice.Sequence && SubjectOf(n) == subject).MinBy(n => n.Sequence);
        return notice with { SupersededBy = successor?.Id };
    }

    // What a notice states, as a key: notices with the same key replace one another. An unknown kind (from a later
    // version) states nothing this version knows to replace.
    private static string? SubjectOf(NoticeView notice) => notice.Kind switch
    {
        NoticeKinds.Escalation or NoticeKinds.DeEscalation => "level",
        NoticeKinds.PortAboveCity when notice.Port is { } port => "port:" + port,
        _ => null,
    };
}
