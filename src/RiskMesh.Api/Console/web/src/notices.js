// A response team's inbox: open and acknowledged notices of its cities, live over the SSE stream, acknowledged
// with an optional comment; each notice has its own page at /notices/{city}/{id}, the link webhooks carry.
import { api, topology, allInOrder, canOpen } from './api.js';
import { h, fmt, fmtScore, link, field, select, errorBox, stamp, responseLevel, componentLabel, entityHref, responseInForce, continuedActions, dayProblem, isoDay, LEVEL_NAMES, askFirst } from './ui.js';

const KIND_TEXT = { escalation: 'Escalation', 'de-escalation': 'De-escalation', 'port-above-city': 'Port above city', 'port-no-longer-above-city': 'Port no longer above city', 'local-transmission': 'Local transmission', 'testing-shortfall': 'Testing shortfall', 'testing-shortfall-ended': 'Testing shortfall over' };

// Notices that speak of one of the city's ports (its score, drivers and level), not of the city.
const isPortNotice = n => n.kind === 'port-above-city' || n.kind === 'port-no-longer-above-city';

// "307 local cases (300 confirmed, 7 asymptomatic)": what began a local-transmission episode, as the API counts it.
const localCount = c => `${c.count.toLocaleString('en')} local case${c.count === 1 ? '' : 's'}`;

export function noticeHref(n) {
  return `/notices/${encodeURIComponent(n.city)}/${encodeURIComponent(n.id)}`;
}

/**
 * What a notice says, by kind, with its city and port named as people say them and its levels as the plan names them
 * ("Escalation · Suifenhe: level 1 (normal vigilance) → level 2 (heightened)"), as the API's summary does.
 */
export function summary(n, topo) {
  const city = topo?.cityById.get(n.city)?.name || n.city;
  const previous = responseLevel(n.previousLevel, n.previousLevelName);
  const next = responseLevel(n.newLevel, n.newLevelName);
  // A local-transmission notice changes no level: no arrow, the cases that began the episode and the level in force.
  const portName = topo?.portById.get(n.port)?.name || n.port;
  // A port told above the city that stepped down to a lower level still above it: "at level 3, above …" alone read as
  // a rise, and the team kept the higher level's port measures (review 19 M2). Named as the API's summary names it.
  const what = n.kind === 'port-above-city' && n.portSteppedDownFrom != null
    ? `${portName} stepped down from ${responseLevel(n.portSteppedDownFrom, n.portSteppedDownFromName)} to ${next}, still above ${city} at ${previous}`
    : n.kind === 'port-above-city'
    ? `${portName} at ${next}, above ${city} at ${previous}`
    : n.kind === 'port-no-longer-above-city'
      ? `${portName} at ${next}, no longer above ${city} at ${previous}`
    : n.kind === 'local-transmission' && n.localCases
      ? `${city}: ${localCount(n.localCases)} on ${n.localCases.date}, ${n.localCases.firstReported ? 'the first reported' : `the first in ${n.localCases.quietDays} days`}; at ${next}`
    // Neither changes a level: what happened to testing capacity, and the level as it stands (level 1 included).
    : n.kind === 'testing-shortfall'
      ? `${city}: ${n.testingShortfall?.worse ? 'still shorter of testing capacity' : 'short of testing capacity'}; at ${next}`
    : n.kind === 'testing-shortfall-ended'
      ? `${city}: no longer short of testing capacity; at ${next}`
      : `${city}: ${previous} → ${next}`;
  return `${KIND_TEXT[n.kind] || n.kind} · ${what}`;
}

// A stream the page reopens itself waits this long after its first failure in a row, twice as long after each next
// one, up to the longest (review 12 L11).
const FIRST_RETRY_MS = 3000;
const LONGEST_RETRY_MS = 60000;

// How often the inbox reads each city's "now" panel and list again on its own. The clock's day moving (a replay's move,
// an operator's, midnight) comes on the city's stream (its clock event) and is read at once, as does an
// acknowledgement made elsewhere (its ack event); what still moves without a word on the stream is a day's reports that
// change the score but not the level, and an acknowledgement the stream missed (its city moving silos). Read only when a notice arrived, the panel stayed on the day before for as long as the page was open
// (session 18); a 10 s poll did for the clock what the stream now says. A city's view unchanged since its last read
// is answered from the view its grain published, without a grain call.
const NOW_EVERY_MS = 60000;

// The API keeps at most this many characters of a comment; the form says so rather than cutting pasted text silently.
const COMMENT_LIMIT = 500;

// What a team has typed into each notice's comment: the inbox draws its cards anew whenever a notice arrives or the
// clock's day moves, and a burst of notices wiped a comment being written (the acknowledgement then went without it).
// Kept for the page's life; dropped once the notice is acknowledged.
const drafts = new Map();

// Each notice's acknowledgement under way or failed ({ pending } or { error }), and the form drawn last for it: a card
// drawn anew while the request is out keeps its button disabled (enabled again, it let a team send it twice), and one
// drawn after a failure still says why (review 18 M1: the 10 s "now" poll drew every card anew and wiped the error).
// A failure is forgotten once the notice is acknowledged, here (a later attempt, or the superseded ones together) or
// elsewhere (a read of the list says so): it stayed on the card for the page's life (closing note 18).
const acks = new Map();
const ackShown = new Map();

// Comments written here that were never recorded because the notice was acknowledged by someone else first (a
// colleague's acknowledgement arriving on the stream, or this page's own attempt answered 409 "Already acknowledged"):
// shown on the acknowledged card, so words typed for the team are not lost without a word.
const unsent = new Map();

// The notice as read acknowledged: its failed attempt and draft are history. A draft left while no attempt of this
// page's is under way was written for an acknowledgement someone else made first (this page's own sends its draft
// and drops it before its card is drawn acknowledged).
function acknowledged(n) {
  if (n.status === 'open') return;
  const draft = drafts.get(n.id)?.trim();
  if (draft && !acks.get(n.id)?.pending) unsent.set(n.id, draft);
  drafts.delete(n.id);
  if (acks.get(n.id)?.error) acks.delete(n.id);
}

// A notice as acknowledged by what a stream's ack event or a 409 "Already acknowledged" says of it (who, when, comment).
const withAcknowledgement = (n, a) => ({ ...n, status: 'acknowledged', acknowledgedBy: a.acknowledgedBy, acknowledgedByLabel: a.acknowledgedByLabel, acknowledgedAt: a.acknowledgedAt, acknowledgementComment: a.acknowledgementComment });

// "Your comment was not recorded: …" under an acknowledgement someone else made first; null when nothing was lost.
function unsentComment(n) {
  const text = unsent.get(n.id);
  return text ? h('p', { class: 'unsent muted', 'data-unsent': '' }, `Your comment was not recorded (acknowledged by ${acker(n)} first): “${text}”`) : null;
}

function ackForm(n, onDone) {
  const counter = h('small', { class: 'count muted', 'aria-live': 'polite' });
  const comment = h('textarea', { name: 'comment', rows: 2, placeholder: 'Optional: what the team is doing', 'aria-describedby': `count-${n.id}` });
  counter.id = `count-${n.id}`;
  comment.value = drafts.get(n.id) ?? '';
  comment.addEventListener('input', () => drafts.set(n.id, comment.value));
  const error = h('div', { role: 'alert' });
  const button = h('button', { type: 'submit' }, 'Acknowledge');
  const count = () => {
    const length = [...comment.value.trim()].length;
    const over = length - COMMENT_LIMIT;
    counter.textContent = over > 0
      ? `${length} characters: ${over} over the ${COMMENT_LIMIT}-character limit; shorten the comment to send it.`
      : length === COMMENT_LIMIT ? `${length} of ${COMMENT_LIMIT} characters: the limit.` : `${length} of ${COMMENT_LIMIT} characters.`;
    counter.classList.toggle('over', over > 0);
    comment.toggleAttribute('aria-invalid', over > 0);
    return over <= 0;
  };
  comment.addEventListener('input', count);
  count();
  const form = h('form', { class: 'ack', 'aria-label': `Acknowledge notice ${n.id}`, onsubmit: async e => {
    e.preventDefault();
    if (acks.get(n.id)?.pending) return;
    if (!count()) { comment.focus(); return; }
    acks.set(n.id, { pending: true });
    ackShown.get(n.id)?.();
    try {
      const updated = await api(`/cities/${encodeURIComponent(n.city)}/notices/${encodeURIComponent(n.id)}/ack`, { method: 'POST', body: { comment: comment.value.trim() || null } });
      drafts.delete(n.id);
      acks.delete(n.id);
      // A form drawn since (the page left and opened again meanwhile) is not left disabled for good.
      ackShown.get(n.id)?.();
      onDone(updated);
    } catch (err) {
      // Acknowledged by someone else first, with another comment: the notice is acknowledged, and that is what the card
      // says (by whom, when), not an error kept until the next read of the list; the comment typed here is kept
      // beside it, unrecorded.
      if (err.status === 409 && err.problem?.alreadyAcknowledged && err.problem.acknowledgedBy) {
        acks.delete(n.id);
        const typed = comment.value.trim();
        if (typed) unsent.set(n.id, typed);
        drafts.delete(n.id);
        ackShown.get(n.id)?.();
        onDone(withAcknowledgement(n, err.problem));
        return;
      }
      acks.set(n.id, { error: err });
      // The form drawn last for this notice, which may not be this one if the card was drawn anew meanwhile.
      ackShown.get(n.id)?.();
    }
  } }, field(`Comment on ${n.id}`, comment, counter), button, error);
  const show = () => {
    const state = acks.get(n.id);
    button.disabled = Boolean(state?.pending);
    form.toggleAttribute('aria-busy', Boolean(state?.pending));
    error.replaceChildren(...(state?.error ? [errorBox(state.error)] : []));
  };
  ackShown.set(n.id, show);
  show();
  return form;
}

// A control as it is found again once its card (or the "now" panel's city) is drawn anew: a link by its address, a
// comment by its name, a button by its type.
const controlKey = el => `${el.tagName}|${el.getAttribute('href') ?? el.getAttribute('name') ?? el.getAttribute('type') ?? ''}`;

/**
 * Draws part of the page anew (redraw) and gives the keyboard back to the control that had it, with a comment's caret
 * and selection where they were: a card drawn anew dropped the focus to the page (a keyboard or screen-reader user
 * lost their place) and put the caret at the end of the comment being written (review 18 M1). A control that is no
 * longer there (its notice acknowledged) is let go.
 */
function keepingFocus(roots, redraw) {
  const el = document.activeElement;
  const holder = el && roots.some(r => r.contains(el)) ? el.closest('[data-notice], [data-now]') : null;
  if (!holder) {
    redraw();
    return;
  }
  const which = 'notice' in holder.dataset ? `[data-notice="${CSS.escape(holder.dataset.notice)}"]` : `[data-now="${CSS.escape(holder.dataset.now)}"]`;
  const key = controlKey(el);
  const selection = typeof el.selectionStart === 'number' ? [el.selectionStart, el.selectionEnd, el.selectionDirection] : null;
  redraw();
  const again = roots.map(r => r.querySelector(which)).find(Boolean);
  const control = again && [...again.querySelectorAll('a, button, textarea, input, select')].find(x => controlKey(x) === key);
  if (!control || control.disabled) return;
  control.focus({ preventScroll: true });
  if (selection && typeof control.setSelectionRange === 'function') control.setSelectionRange(...selection);
}

/**
 * Runs work(key) one at a time per key, with at most one more run after the one under way however often it is asked
 * meanwhile: each ask is answered by a run that started after it, and an older answer never lands after a newer one.
 */
function oneAtATime(work) {
  const running = new Map();
  return key => {
    const current = running.get(key);
    if (current) {
      current.again = true;
      return current.done;
    }
    const entry = { again: false, done: null };
    running.set(key, entry);
    entry.done = (async () => {
      try {
        do {
          entry.again = false;
          await work(key);
        } while (entry.again);
      } finally {
        running.delete(key);
      }
    })();
    return entry.done;
  };
}

// The port a "port above city" notice is about, as a link to its page when this key may open it (a responder its own
// cities' ports), so the team reads the port's whole explanation, not only the notice's drivers.
function portLink(n, topo, opens) {
  if (!isPortNotice(n) || !n.port || !opens('port', n.port)) return null;
  return h('p', { class: 'port-link' }, 'Port: ', link(entityHref('port', n.port), topo?.portById.get(n.port)?.name || n.port), ' (score, explanation and history)');
}

/**
 * "Superseded by …" when a later notice of the city replaced this one (the API's supersededBy: the city's next change
 * of level, or the next notice of the same port above the city), linking the later notice; named by its summary when
 * the page holds it, else by its id. Null otherwise.
 */
function superseded(n, later, topo) {
  if (!n.supersededBy) return null;
  const href = noticeHref({ city: n.city, id: n.supersededBy });
  return h('p', { class: 'superseded', 'data-superseded-by': n.supersededBy }, 'Superseded by ',
    link(href, later ? summary(later, topo) : n.supersededBy),
    later ? ` (${later.id}, day ${later.date}, issued ${stamp(later.issuedAt)})` : '');
}

/**
 * What was thin in the data behind a notice (its dataQuality, worded by the API): a city whose reports stopped steps
 * down on no score, and "level 3 → level 2" alone reads as all clear. The warning of such a step down comes first, in
 * the warning colours; then each note (a card: one line; the notice's page: a list). Null for a notice without flags.
 */
function dataQuality(n, page) {
  const q = n.dataQuality;
  const notes = q?.notes?.length ? q.notes : (q?.flags || []);
  if (!notes.length) return null;
  const warning = n.dataQualityWarning
    ? h('p', { class: 'quality-warning', 'data-quality-warning': '' }, n.dataQualityWarning)
    : null;
  return h('div', { class: 'data-quality', 'data-flags': (q.flags || []).join(' ') },
    warning,
    page
      ? [h('h2', {}, 'Data quality on that day'), h('ul', { class: 'notes' }, notes.map(t => h('li', {}, t)))]
      : warning ? null : h('p', { class: 'muted quality-notes' }, 'Data quality: ', notes.join(' ')));
}

/**
 * Where the city stood on testing capacity (the API's testingCapacity: the capacity gap as the risk model explains it,
 * then whether laboratories or technicians fall short by the assistance rule), worded by the API: the plan's actions
 * follow its level alone, and a team must see whether its requests for kits and technicians are pressing. The card's
 * and the "now" panel's line is labelled as given; the notice's page puts it under its own heading. Null for a notice
 * issued before it was kept (nothing is made up for it).
 */
function testingCapacity(capacity, label, page) {
  if (!capacity?.line) return null;
  // Edged in amber when short, in green when at or above target (the line says which in words); muted otherwise.
  const edge = { short: 'capacity-short', 'meets-target': 'capacity-met' }[capacity.standing] ?? 'capacity-other';
  const line = h('p', { class: `testing-capacity ${edge}`, 'data-capacity': capacity.standing },
    page ? '' : h('strong', {}, `${label}: `), capacity.line);
  return page ? h('section', { class: 'testing' }, h('h2', {}, label), line) : line;
}

/**
 * When the city was short of isolation capacity (the API's isolationCapacity: cases to isolate against isolation beds,
 * how many short, who is recommended to provide them), worded by the API; edged as a testing shortfall is. Null when
 * the city was not short, and for a notice issued before it was kept.
 */
function isolationCapacity(capacity, label, page) {
  if (!capacity?.line) return null;
  const line = h('p', { class: 'isolation-capacity', 'data-beds-short': capacity.bedsShort },
    page ? '' : h('strong', {}, `${label}: `), capacity.line);
  return page ? h('section', { class: 'isolation' }, h('h2', {}, label), line) : line;
}

/**
 * "Dated after the clock's day (2020-04-20): not in force" on a notice the API marks aheadOfClock: the clock was moved
 * back after it was issued, so its step down (or escalation) was decided for a day the city has not reached, and a team
 * reading it as current would act on a level that is not in force. The clock's day is the one the page knows (the
 * city's view, the clock); without it the line still says the rest. Null for any other notice.
 */
function aheadOfClock(n, clockDay, tag = 'p') {
  if (!n.aheadOfClock) return null;
  return h(tag, { class: 'ahead-of-clock', 'data-ahead-of-clock': clockDay || '' },
    clockDay ? `Dated after the clock's day (${clockDay}): not in force` : "Dated after the clock's day: not in force");
}

/**
 * On a local-transmission notice: the local cases by classification, the day they are dated, and whether the level
 * changed that day (a team must not look for an escalation that did not happen, nor be told "no change" on the day one
 * happened: that change has its own notice). Null for any other notice.
 */
function localCases(n, tag = 'p') {
  const c = n.localCases;
  if (n.kind !== 'local-transmission' || !c) return null;
  return h(tag, { class: 'local-cases', 'data-local-cases': c.count },
    `Local transmission: ${localCount(c)} (${c.confirmed.toLocaleString('en')} confirmed, ${c.asymptomatic.toLocaleString('en')} asymptomatic) dated ${c.date}, `
    + (c.firstReported ? 'the first local cases the city reported (no earlier reports). ' : `after ${c.quietDays} days without any. `)
    + (n.previousLevel === n.newLevel
      ? `No change of level: ${responseLevel(n.newLevel, n.newLevelName)} in force ${n.levelChangedLater ? 'when issued' : 'that day'}`
      : `The level changed that day, in its own notice: ${responseLevel(n.previousLevel, n.previousLevelName)} → ${responseLevel(n.newLevel, n.newLevelName)}`)
    + laterThatDay(n)
    + `; the actions add the plan's testing, tracing and quarantine measures.`);
}

/**
 * On a notice that states the city's level without changing it: the later notice of the same day that changed the
 * level, so the card never reads as if its level stood all day (newcomer 22a, M2: a shortfall "level 1 in force that
 * day" beside that day's escalation to level 3). Empty when none did.
 */
function laterThatDay(n) {
  const later = n.levelChangedLater;
  return later ? `; later that day ${later.by} changed it to ${responseLevel(later.level, later.levelName)}` : '';
}

/**
 * On a port's notice (above the city, or no longer): the city's level it states, and the later notice of the same day
 * that changed it, so the card never reads as if the city stood at that level all day (closing note 22, as
 * laterThatDay does for the city's own news). Null when no later notice of its day changed the city's level.
 */
function cityLevelChangedLater(n, tag = 'p') {
  if (!isPortNotice(n) || !n.levelChangedLater) return null;
  return h(tag, { class: 'level-changed-later', 'data-level-changed-later': n.levelChangedLater.by },
    `City at ${responseLevel(n.previousLevel, n.previousLevelName)} when issued${laterThatDay(n)}.`);
}

/**
 * On a testing-shortfall notice: what the province is recommended to do and that no level changed, so a team at level 1
 * reads it as a request to make now (newcomer 20b F3: Ruili heard nothing of its shortage); on its end, that the
 * shortfall told is over. Null for any other notice.
 */
function shortfallLine(n, tag = 'p') {
  if (n.kind !== 'testing-shortfall' && n.kind !== 'testing-shortfall-ended') return null;
  const level = `No change of level: ${responseLevel(n.newLevel, n.newLevelName)} in force ${n.levelChangedLater ? 'when issued' : 'that day'}${laterThatDay(n)}.`;
  return h(tag, { class: `testing-shortfall ${n.kind === 'testing-shortfall' ? 'capacity-short' : 'capacity-met'}`, 'data-testing-shortfall': n.kind },
    n.kind === 'testing-shortfall'
      ? `Testing shortfall${n.testingShortfall?.worse ? ', clearly worse than told before' : ''}: the province is recommended to dispatch testing kits and laboratory technicians; request them. ${level}`
      : `Testing shortfall over: laboratories and technicians are well within the line at which the province is told to dispatch. ${level}`);
}

// A notice's score, said as whose it is: "city score 47.0", or on a day without one "no city score (insufficient data:
// no case or capacity report from the city for 18 days)" in the API's words; "city score —" said nothing of why
// (newcomer 17 F1).
function scoreText(n) {
  const whose = isPortNotice(n) ? 'port' : 'city';
  return n.score == null ? `no ${whose} score (${n.noScoreReason || 'insufficient data'})` : `${whose} score ${fmtScore(n.score)}`;
}

/**
 * What drove the change, on the card as on the notice's page but compact: each of the notice's drivers by name with its
 * points ("Port exposure 45.4 · Riskiest port 20.0"), its explanation in the tooltip; the CLI prints them inline and a
 * team triaging from the inbox had to open each notice (newcomer 18 L3). A notice without a score has no driver: it
 * says whose score was missing and why, in the API's words.
 */
function driversLine(n) {
  if (n.score == null) return h('p', { class: 'drivers muted', 'data-drivers': '' }, h('strong', {}, 'What drove it: '), `nothing, ${scoreText(n)}.`);
  if (!n.drivers?.length) return null;
  const kind = isPortNotice(n) ? 'port' : 'city';
  return h('p', { class: 'drivers', 'data-drivers': n.drivers.map(d => d.name).join(' ') }, h('strong', {}, 'What drove it (points): '),
    n.drivers.map((d, i) => [i ? ' · ' : '', h('span', { class: 'driver', 'data-component': d.name, title: d.explanation || '' },
      componentLabel(d.name, kind)), ` ${fmt(d.contribution)}`]));
}

/**
 * On a port-above-city notice, what its level means at the crossing, in the API's words (portLevelNote): that the plan
 * holds the port at a level its score is below, and until when at least, and that the level's measures are the
 * crossing's, not the city's (newcomer 20b F2: a port at level 4 with a "high" score asked for a national expert team
 * with neither said). Null for other notices and for a server older than it.
 */
function portLevelNote(n) {
  if (!n.portLevelNote) return null;
  return h('p', { class: `port-level-note${n.portHold ? ' held' : ''}`, 'data-port-hold': n.portHold ? (n.portHold.stepDownFrom || 'hysteresis') : '' }, n.portLevelNote);
}

// Who acknowledged: the key's label with its id, as a key id alone tells a team nothing.
const acker = n => (n.acknowledgedByLabel ? `${n.acknowledgedByLabel} (${n.acknowledgedBy})` : n.acknowledgedBy);

/**
 * A card's testing capacity on its day. The same words as the "now" panel's capacity today (most open notices: the
 * city's capacity seldom moves) are said there once and pointed to here: at 390 px the 90-word paragraph, on the panel
 * and every card, pushed the open notice 2 to 3 screens down (newcomer 24a M3). Other words stand in full.
 */
function cardCapacity(n, today, topo) {
  const line = n.testingCapacity?.line;
  if (!line || line !== today) return testingCapacity(n.testingCapacity, 'Testing capacity that day', false);
  const city = topo?.cityById.get(n.city)?.name || n.city;
  const show = () => document.querySelector(`[data-now="${CSS.escape(n.city)}"] p.testing-capacity`)?.scrollIntoView({ block: 'center' });
  return h('p', { class: 'testing-capacity-same muted', 'data-capacity': n.testingCapacity.standing },
    h('strong', {}, 'Testing capacity that day: '), 'as today’s, in ',
    h('button', { type: 'button', class: 'link', onclick: show }, `${city} now`), '.');
}

function card(n, topo, opens, onAck, later, clockDay, todayCapacity) {
  // An open card asks for its acknowledgement right under its title and day, before the details and actions that
  // follow: on a phone the button sat a screen and more below the card's top (newcomer 24a M3).
  const open = n.status !== 'acknowledged';
  return h('li', { class: `notice ${n.status}`, 'data-notice': n.id, 'data-status': n.status },
    h('div', { class: 'title-row' },
      h('h3', {}, link(noticeHref(n), summary(n, topo))),
      h('span', { class: `badge lvl-n${n.newLevel}` }, responseLevel(n.newLevel, n.newLevelName))),
    // Whose score: a port-above-city notice carries the port's, which a bare "score" passed off as the city's. A notice
    // without a score says so, and why, once: on its drivers line below (it said it here too, twice on one card).
    h('p', { class: 'muted', 'data-score': n.score ?? 'none' }, `${n.date} · ${n.score == null ? '' : `${scoreText(n)} · `}issued ${stamp(n.issuedAt)}`),
    open ? ackForm(n, onAck) : null,
    aheadOfClock(n, clockDay),
    localCases(n),
    shortfallLine(n),
    cityLevelChangedLater(n),
    portLink(n, topo, opens),
    superseded(n, later, topo),
    dataQuality(n, false),
    driversLine(n),
    cardCapacity(n, todayCapacity, topo),
    isolationCapacity(n.isolationCapacity, 'Isolation capacity that day', false),
    portLevelNote(n),
    n.actions?.length ? h('ul', { class: 'actions' }, n.actions.map(a => h('li', {}, a))) : null,
    continuedActions(n.continuedActions, false),
    open ? null
      : [h('p', { class: 'acked' }, `Acknowledged by ${acker(n)} ${n.acknowledgedAt ? stamp(n.acknowledgedAt) : ''}`, n.acknowledgementComment ? ` — “${n.acknowledgementComment}”` : ''),
        unsentComment(n)]);
}

export async function noticesView(who, city) {
  // Every role reads the topology (names are not secret), so a response team reads "Suifenhe", not "suifenhe".
  const topo = await topology();
  const opens = canOpen(who, topo);
  const cities = who.role === 'responder' ? who.cities : topo.cities.map(c => c.id);
  const params = new URLSearchParams(location.search);
  // The city of /notices/{city}, else (a responder's older links) of /notices?city=.
  const asked = city ?? params.get('city');
  if (who.role !== 'responder' && asked && !topo.cityById.has(asked)) {
    return {
      element: h('section', {}, h('h1', {}, 'Notices'),
        h('p', { role: 'alert', class: 'error' }, `RiskMesh knows no city '${asked}'.`),
        h('p', {}, h('a', { href: '/notices', 'data-nav': true }, 'Notices of every city'))),
      title: 'Notices',
    };
  }
  if (who.role === 'responder' && asked && !cities.includes(asked)) {
    // Never show another city's inbox in place of the one asked for: say why it is refused.
    return {
      element: h('section', {}, h('h1', {}, 'Notices'),
        h('p', { role: 'alert', class: 'error' }, `This key may not read the notices of ${asked}: it is a responder key for ${cities.join(', ')}.`),
        h('p', {}, h('a', { href: '/notices', 'data-nav': true }, 'Your notices'))),
      title: 'Notices',
    };
  }

  const chosen = who.role === 'responder' ? (asked ? [asked] : cities) : [asked || cities[0]];
  const notices = new Map();
  const sources = new Map();
  const live = h('p', { class: 'live', role: 'status' }, 'Connecting…');
  const openList = h('ul', { class: 'notices', 'aria-label': 'Open notices' });
  const supersededList = h('ul', { class: 'notices', 'aria-label': 'Open notices superseded by later ones' });
  const aheadList = h('ul', { class: 'notices', 'aria-label': "Open notices dated after the clock's day" });
  const aheadCount = h('span', {});
  const ackList = h('ul', { class: 'notices', 'aria-label': 'Acknowledged notices' });
  const openCount = h('span', {});
  const supersededCount = h('span', {});
  const ackCount = h('span', {});
  const ackAllError = h('div', { role: 'alert' });
  const ackAll = h('button', { type: 'button', class: 'ack-superseded', onclick: () => acknowledgeSuperseded() });
  // Open notices a later one replaced are history, not what to act on: below the current ones, under their own
  // heading, acknowledgeable together. With every card in one list, a team opening the inbox after weeks read a
  // level-4 port notice as today's (newcomer 13).
  const superseded = h('section', { class: 'superseded-notices', hidden: true },
    h('h2', {}, 'Open, but superseded by later notices', supersededCount),
    h('p', { class: 'muted' }, 'Each was replaced by the notice it names; what is in force now is above.'),
    ackAll, ackAllError, supersededList);
  // Open notices dated after the clock's day (the API's aheadOfClock) were decided before the clock was moved back: not
  // in force, so apart from the current ones too. Among them, the step down of 5 May read as today's all-clear while
  // level 4 was in force again on 20 April (review 14). Each is still acknowledged on its own card.
  const ahead = h('section', { class: 'ahead-notices', hidden: true },
    h('h2', {}, "Dated after the clock's day (not in force)", aheadCount),
    h('p', { class: 'muted' }, 'The clock was moved back after these were issued: the city stands where it stood on the clock’s day, as the panel above says.'),
    aheadList);
  // Which open notices are history (a later one replaced them) and which are not in force yet (dated after the clock's
  // day, whether or not a later one replaced them): the rest are current.
  const isAhead = n => n.status === 'open' && n.aheadOfClock;
  const isReplaced = n => n.status === 'open' && n.supersededBy && !n.aheadOfClock;
  // The clock's day, as the city's view of the "now" panel gives it (a responder reads no clock).
  const clockDayOf = n => nowByCity.get(n.city)?.view.asOf;

  const upsert = n => { notices.set(n.id, n); draw(); };
  function draw() {
    const all = [...notices.values()].sort((a, b) => (b.date.localeCompare(a.date)) || (b.sequence - a.sequence));
    const later = all.filter(isAhead);
    const replaced = all.filter(isReplaced);
    const open = all.filter(n => n.status === 'open' && !isAhead(n) && !isReplaced(n));
    const acked = all.filter(n => n.status !== 'open');
    const cardOf = n => card(n, topo, opens, upsert, notices.get(n.supersededBy), clockDayOf(n), nowByCity.get(n.city)?.capacity?.testingCapacity?.line);
    const lists = [openList, aheadList, supersededList, ackList];
    keepingFocus(lists, () => {
      openList.replaceChildren(...(open.length ? open.map(cardOf)
        : [h('li', { class: 'muted' }, replaced.length || later.length ? 'No open notice that is still current.' : 'No open notices.')]));
      aheadList.replaceChildren(...later.map(cardOf));
      supersededList.replaceChildren(...replaced.map(cardOf));
      ackList.replaceChildren(...(acked.length ? acked.map(cardOf) : [h('li', { class: 'muted' }, 'None yet.')]));
    });
    openCount.textContent = ` (${open.length})`;
    aheadCount.textContent = ` (${later.length})`;
    ahead.hidden = later.length === 0;
    supersededCount.textContent = ` (${replaced.length})`;
    ackAll.textContent = `Acknowledge the ${replaced.length} superseded ${replaced.length === 1 ? 'notice' : 'notices'}`;
    superseded.hidden = replaced.length === 0;
    ackCount.textContent = ` (${acked.length})`;
    // The panel's ports read their level from these notices.
    drawNow();
  }

  // Asked first, naming each one: one click filed away a level-3 card whose measures still held, with no undo (newcomer
  // 20b F8). Then one after another, each as its own Acknowledge button would; one that fails is said, the others stand.
  async function acknowledgeSuperseded() {
    const named = [...notices.values()].filter(isReplaced).sort((a, b) => a.date.localeCompare(b.date) || a.sequence - b.sequence);
    if (!named.length || !await confirmAcknowledging(named)) return;
    ackAll.disabled = true;
    ackAllError.replaceChildren();
    // Only those named: one acknowledged elsewhere while the question was open is skipped, one superseded since is not asked about.
    for (const n of named.filter(x => isReplaced(notices.get(x.id)))) {
      try {
        const updated = await api(`/cities/${encodeURIComponent(n.city)}/notices/${encodeURIComponent(n.id)}/ack`, { method: 'POST', body: { comment: null } });
        acknowledged(updated);
        notices.set(n.id, updated);
      } catch (err) {
        ackAllError.append(errorBox(err));
      }
    }
    ackAll.disabled = false;
    draw();
  }

  function confirmAcknowledging(named) {
    const count = `${named.length} superseded ${named.length === 1 ? 'notice' : 'notices'}`;
    return askFirst({
      name: 'ack-confirm',
      title: `Acknowledge the ${count}?`,
      text: [h('p', {}, 'Each is recorded as acknowledged by this key, with no comment, and moves to the acknowledged notices; this cannot be undone.'),
        h('ul', { class: 'ack-confirm-list', 'aria-label': 'Notices to acknowledge' }, named.map(n => h('li', { 'data-notice': n.id }, h('code', {}, n.id), ' ', summary(n, topo))))],
      confirm: `Acknowledge ${named.length === 1 ? 'it' : `these ${named.length}`}`,
    });
  }

  // What is in force in each city now, above its notices (a card says what was decided on its day): the level of its
  // plan in force with the plan's actions for it, its score band, and each of its ports' now.
  const nowBox = h('section', { class: 'now', 'aria-label': 'In force now' });
  const nowByCity = new Map();
  // One read of a city's "now" at a time, as for its list: two reads in flight (a notice's, then the next notice's or
  // the timer's) could land in either order, and the older answer stood.
  const readNow = oneAtATime(readNowOnce);
  async function readNowOnce(city) {
    try {
      const view = await api(`/cities/${encodeURIComponent(city)}`);
      const ports = topo.ports.filter(p => p.city === city && opens('port', p.id));
      // The city's own testing capacity and assistance (no other city's): a panel without them still shows the rest.
      const [capacity, ...portViews] = await Promise.all([
        api(`/cities/${encodeURIComponent(city)}/capacity`).catch(() => null),
        ...ports.map(p => api(`/ports/${encodeURIComponent(p.id)}`).catch(() => null))]);
      const before = nowByCity.get(city);
      nowByCity.set(city, { view, capacity, ports: ports.map((port, i) => ({ port, view: portViews[i] })) });
      drawNow();
      // The cards of notices dated after the clock's day name it from this view, and every card points to today's
      // testing capacity when it says the same: drawn anew when either moved, and only then. Every read drew every card
      // anew, every 10 s (review 18 M1). Not before the cards are first drawn, which waits for this first read.
      const capacityLine = c => c?.testingCapacity?.line;
      if (cardsDrawn && (view.asOf !== before?.view.asOf || capacityLine(capacity) !== capacityLine(before?.capacity))) draw();
    } catch { /* the last reading stands; the notices below are still right */ }
  }
  // When the city's laboratories or technicians fall short, what the assistance rules (the analysts' Assistance page)
  // tell the province to send it, with their reason. Not beside a capacity near or at target: a dispatch there rests only on
  // the plan's level asking for it, which the plan's actions above already say.
  // Every other recommendation of the city's capacity answer is shown too, each with who provides it (province or
  // national): isolation beds and materials, an expert team, equipment, makeshift hospitals. Ruili's panel showed the
  // testing one alone beside 463 cases to isolate against 30 beds (newcomer 24a, H1). Not "keep monitoring", which
  // says no assistance is needed.
  const assistance = capacity => {
    const shown = (capacity?.recommendations ?? []).filter(r => r.action === 'dispatch testing kits and laboratory technicians'
      ? capacity.testingCapacity?.standing === 'short'
      : !r.action.startsWith('keep monitoring'));
    return shown.length
      ? shown.map(send => h('p', { class: 'assistance-testing', 'data-assistance': send.action, 'data-scope': send.scope },
        h('strong', {}, `Assistance: ${send.scope === 'national' ? 'the national authorities are' : `the ${send.scope} is`} recommended to ${send.action}. `), send.reason))
      : null;
  };
  // What today's score rests on besides the city's own reports, in the API's words (its dataQuality notes): a "Low"
  // band from a city silent for 22 days, estimated from a port's carried-forward traffic, is no reassurance
  // (newcomer 20b F3: Ruili's panel showed neither).
  const nowQuality = view => (view.dataQuality?.notes?.length
    ? h('p', { class: 'quality-warning now-quality', 'data-now-quality': (view.dataQuality.flags || []).join(' ') },
      h('strong', {}, 'Data quality today: '), view.dataQuality.notes.map(t => t.charAt(0).toUpperCase() + t.slice(1).replace(/\.?$/, '.')).join(' '))
    : null);
  const band = v => (v.score == null ? 'insufficient data' : `score ${fmtScore(v.score)}, ${(LEVEL_NAMES[v.level] || v.level).toLowerCase()}`);
  // The port's level in force, as its notices told it: the level of its latest port notice still current (a
  // port-above-city neither replaced nor dated after the clock's day), else the city's. Beside the port's score now, so
  // the panel and an open port notice agree: "Suifenhe road port score 7.3, low" beside an open notice at level 4 left
  // the team to guess which held (newcomer 20b F2).
  function portInForce(city, port, response) {
    const told = [...notices.values()]
      .filter(n => n.city === city && n.port === port.id && isPortNotice(n) && !n.aheadOfClock)
      .sort((a, b) => b.sequence - a.sequence)[0];
    if (told?.kind === 'port-above-city' && !told.supersededBy) {
      return { level: told.newLevel, words: [`${responseLevel(told.newLevel, told.newLevelName)} in force, told ${told.date} by `, link(noticeHref(told), told.id)] };
    }
    return response ? { level: response.level, words: [`${responseLevel(response.level, response.name)}, the city's`] } : null;
  }
  const portLine = (city, response) => ({ port, view: pv }) => {
    const inForce = portInForce(city, port, response);
    return h('li', { 'data-port': port.id, 'data-port-level': inForce?.level ?? '' }, link(entityHref('port', port.id), port.name),
      inForce ? [': ', ...inForce.words, '; '] : ' ', pv ? band(pv).replace(/^score /, 'score now ') : 'score not read');
  };
  function drawNow() {
    keepingFocus([nowBox], () => nowBox.replaceChildren(...chosen.filter(c => nowByCity.has(c)).map(city => {
      const { view, capacity, ports } = nowByCity.get(city);
      return h('div', { class: 'now-city', 'data-now': city },
        h('h2', {}, `${topo.cityById.get(city)?.name || city} now`, h('small', { class: 'muted' }, ` (as of ${view.asOf})`)),
        responseInForce(view),
        nowQuality(view),
        testingCapacity(capacity?.testingCapacity, 'Testing capacity today', false),
        assistance(capacity),
        h('p', { class: 'muted now-scores' }, `City ${band(view)}`),
        ports.length ? h('ul', { class: 'now-ports', 'aria-label': 'Ports: level in force and score now' }, ports.map(portLine(city, view.response))) : null);
    })));
  }

  // The newest sequence read of each city: its stream starts after it, rather than send again what the list gave.
  const lastSequence = new Map();
  // Takes a read of a city's list; true when a notice changed (cards are drawn anew only then: the minute's read of an
  // unchanged list leaves them, and the keyboard, alone).
  function take(city, list) {
    let changed = false;
    for (const n of list) {
      const known = notices.get(n.id);
      if (!known || JSON.stringify(known) !== JSON.stringify(n)) changed = true;
      acknowledged(n);
      notices.set(n.id, n);
      lastSequence.set(city, Math.max(lastSequence.get(city) || 0, n.sequence));
    }
    return changed;
  }
  async function load(city) {
    return take(city, await api(`/cities/${encodeURIComponent(city)}/notices`));
  }
  // Each city's list and "now" panel read before the cards are first drawn, since the cards of notices dated after the
  // clock's day name that day from the panel's view: a panel read after the first drawing drew every card anew just
  // after the page was shown (a test lost the card it held: "Element is not attached to the DOM"), and the stream's
  // first clock event, coming before that read, read the list again for the day already shown.
  let cardsDrawn = false;
  await Promise.all(chosen.map(city => Promise.all([load(city), readNow(city)])));
  cardsDrawn = true;
  draw();
  // The list and panel again every NOW_EVERY_MS, and at once when the page is shown again after being hidden (a tab in
  // the background may have missed several days of a replay). Set up when the page is ready, cleared when it goes. Only
  // the cities whose stream is up: a session that ended or a city no longer readable is the banner's to say (a read
  // refused with 401 would leave the page), and a lost connection is read afresh when its stream is back.
  const nowTimer = { id: null };
  const readAllNow = () => chosen.filter(c => up.has(c) && !signedOut && !forbidden.has(c)).forEach(c => reload(c));
  const onVisible = () => { if (document.visibilityState === 'visible') readAllNow(); };

  // A stream that drops (the host down, the network gone) must not look like a quiet day: a warning banner says since
  // when notices have not been arriving live, and goes once every stream is open again, each city whose stream was
  // down read afresh then for whatever was issued meanwhile. A muted "Reconnecting…" was easy to miss (newcomer 12).
  // A stream refused because the session ended (401) or the key may no longer read the city (403) is no lost
  // connection, and reopening it never helps: each failure is probed once with the city's list, which says which
  // (review 12 L11: such a stream was reopened every 3 s for as long as the page stayed open).
  const lost = h('div', { class: 'stream-lost', role: 'alert', hidden: true });
  // The clock's day and mode each city's stream said last ("2020-04-20 replay"); the newest of any city is also the
  // live line's data-clock.
  const clockDays = new Map();
  const up = new Set();
  const down = new Set();
  const forbidden = new Set();
  const failures = new Map();
  const timers = new Set();
  let signedOut = false;
  let lostSince = null;
  let disposed = false;
  const active = () => chosen.filter(c => !forbidden.has(c));
  const allUp = () => !signedOut && active().length > 0 && active().every(c => up.has(c));
  const cityName = city => topo.cityById.get(city)?.name || city;
  function showState() {
    const all = allUp();
    const streams = active().length;
    live.textContent = signedOut ? 'Not live: signed out'
      : all ? `Live: new notices appear here (${up.size}/${streams} ${streams === 1 ? 'stream' : 'streams'})`
      : streams === 0 ? 'Not live: no access' : lostSince ? 'Reconnecting…' : 'Connecting…';
    live.dataset.live = String(all);
    lost.dataset.since = lostSince ? lostSince.toISOString() : '';
    lost.dataset.reason = signedOut ? 'signed-out' : lostSince ? 'lost' : forbidden.size ? 'forbidden' : '';
    const signIn = '/signin?returnUrl=' + encodeURIComponent(location.pathname + location.search);
    lost.replaceChildren(...(signedOut
      ? [h('strong', {}, 'Signed out: notices are not arriving live.'), ' The session has ended or the key was revoked; ',
        h('a', { href: signIn }, 'sign in again'), ' to see new notices here.']
      : [...(lostSince ? [h('strong', {}, 'Notices are not arriving live'),
        ` since ${stamp(lostSince.toISOString())}: the connection to RiskMesh was lost, and new notices will not appear here until it is back.`] : []),
        ...[...forbidden].map(city => h('p', { 'data-forbidden': city }, h('strong', {}, `No access to the notices of ${cityName(city)}.`),
          ' This key may no longer read them, so they are not live here; the list shows them as last read.'))]));
    lost.hidden = !lost.childNodes.length;
  }

  // One read of a city's list at a time: a burst of notices on the stream reads the list twice, not once per notice all
  // at once, and an older answer never lands after a newer one (review 12). A city read again is its list and its
  // "now" panel, both done when this is.
  const reloadList = oneAtATime(async city => {
    try { if (await load(city)) draw(); } catch { /* the stream's copy stands until the next read */ }
  });
  const reload = city => Promise.all([reloadList(city), readNow(city)]);

  // Why a stream failed, asked once per failure of the city's list (not through api(), which would leave the page
  // at once on a 401): 'signed-out', 'forbidden', 'ok' (the host answers; the list read is taken) or 'failed'.
  async function probe(city) {
    try {
      const response = await fetch(`/api/v1/cities/${encodeURIComponent(city)}/notices`, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      if (response.status === 401) return 'signed-out';
      if (response.status === 403) return 'forbidden';
      if (!response.ok) return 'failed';
      take(city, await response.json());
      draw();
      return 'ok';
    } catch {
      return 'failed';
    }
  }

  function stop(city) {
    sources.get(city)?.close();
    sources.delete(city);
    up.delete(city);
    down.delete(city);
  }

  function open(city) {
    const source = new EventSource(`/api/v1/cities/${encodeURIComponent(city)}/notices/stream?lastEventId=${lastSequence.get(city) || 0}`);
    source.addEventListener('notice', async e => {
      const n = JSON.parse(e.data);
      const known = notices.get(n.id);
      // The stream carries notices as issued; an acknowledgement made here is newer than that copy.
      if (!known || known.status === 'open') upsert(n);
      // A new notice may replace one shown here: the list says which (supersededBy), so it is read again.
      await reload(city);
    });
    // An acknowledgement made anywhere (a colleague's console, the CLI, the API, this page): the card is marked at once,
    // by whom and when. Until the next read of the list (up to a minute), a team of several officers saw a notice still
    // waiting that a colleague had taken in hand. One this page holds acknowledged already is left as it is.
    source.addEventListener('ack', e => {
      const a = JSON.parse(e.data);
      const known = notices.get(a.id);
      if (!known || known.status !== 'open') return;
      const n = withAcknowledgement(known, a);
      acknowledged(n);
      upsert(n);
    });
    // The clock's day, as the stream opens and each time it moves (a replay, an operator, midnight): what is in force
    // now and which notices are dated after the clock's day move with it, so the list and panel are read at once. The
    // day said as the stream opens is news only when the panel was read on another day.
    source.addEventListener('clock', async e => {
      const { date, mode } = JSON.parse(e.data);
      const said = `${date} ${mode}`;
      const before = clockDays.get(city);
      clockDays.set(city, said);
      live.dataset.clock = said;
      if (before === undefined ? nowByCity.get(city)?.view.asOf === date : before === said) return;
      // The silo holding the city may still have the day before for half a second (its cached clock): a city read as of
      // another day is read again, a second apart, three times at most, unless the day moved again meanwhile.
      for (let tries = 0; tries < 3; tries++) {
        await reload(city);
        if (disposed || clockDays.get(city) !== said || nowByCity.get(city)?.view.asOf === date) return;
        await new Promise(resolve => { setTimeout(resolve, 1000); });
      }
    });
    source.addEventListener('open', async () => {
      up.add(city);
      failures.delete(city);
      const wasDown = down.delete(city);
      if (allUp()) lostSince = null;
      showState();
      // What was issued while this city's stream was down: its list has it, the stream may not send it again.
      if (wasDown) await reload(city);
    });
    source.addEventListener('error', async () => {
      up.delete(city);
      down.add(city);
      lostSince ??= new Date();
      // The browser retries a dropped connection itself; a refused one (an error status while the host restarts) it
      // gives up on, so the page opens it again, 3 s after the first failure in a row, then twice as long each time up
      // to a minute.
      let timer = null;
      if (source.readyState === EventSource.CLOSED) {
        sources.delete(city);
        const failed = (failures.get(city) || 0) + 1;
        failures.set(city, failed);
        const delay = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** (failed - 1));
        timer = setTimeout(() => {
          timers.delete(timer);
          if (!disposed && !signedOut && !forbidden.has(city)) open(city);
        }, delay);
        timers.add(timer);
        lost.dataset.retryIn = String(delay / 1000);
      }
      showState();
      const why = await probe(city);
      if (disposed) return;
      if (why === 'signed-out') {
        signedOut = true;
        timers.forEach(clearTimeout);
        timers.clear();
        [...sources.keys()].forEach(stop);
      } else if (why === 'forbidden') {
        forbidden.add(city);
        if (timer !== null) { clearTimeout(timer); timers.delete(timer); }
        stop(city);
        if (allUp()) lostSince = null;
      }
      showState();
    });
    sources.set(city, source);
  }
  function connect() {
    chosen.forEach(open);
    nowTimer.id = setInterval(() => { if (document.visibilityState !== 'hidden') readAllNow(); }, NOW_EVERY_MS);
    document.addEventListener('visibilitychange', onVisible);
  }

  const picker = who.role === 'responder' ? null : h('form', { class: 'filters', onsubmit: e => e.preventDefault() },
    field('City', select(topo.cities.map(c => [c.id, c.name]), chosen[0], { onchange: e => { location.assign(`/notices/${encodeURIComponent(e.target.value)}`); } })));

  const element = h('section', { class: 'inbox' },
    h('h1', {}, 'Notices'),
    h('p', { class: 'muted' }, who.role === 'responder' ? `Cities: ${cities.map(c => topo.cityById.get(c)?.name || c).join(', ')}`
      : ['The inbox of one city, live, as its response team reads it; ', link('/notices', 'notices of every city'), ' in a period are a table of their own.']),
    // The open notices still current first, then what is in force now: on a phone the panel took the first 1,500 px
    // and the one notice to acknowledge began two screens down (newcomer 24a M3).
    picker, live, lost,
    h('h2', {}, 'Open', openCount), openList, nowBox, ahead, superseded,
    h('h2', {}, 'Acknowledged', ackCount), ackList);
  return { element, title: 'Notices', ready: connect, dispose: () => {
    disposed = true;
    timers.forEach(clearTimeout);
    clearInterval(nowTimer.id);
    document.removeEventListener('visibilitychange', onVisible);
    sources.forEach(s => s.close());
  } };
}

// A port-above-city notice compares two standings (the city's level, the port's level on the same plan), not a
// change: shown as an arrow, "level 2 → level 3" read as the city escalating (newcomer 10).
function levelFacts(notice) {
  const previous = responseLevel(notice.previousLevel, notice.previousLevelName);
  const next = responseLevel(notice.newLevel, notice.newLevelName);
  return isPortNotice(notice)
    ? [h('div', {}, h('dt', {}, 'City level'), h('dd', { 'data-level': 'city' }, previous)),
      h('div', {}, h('dt', {}, 'Port level'), h('dd', { 'data-level': 'port' }, next)),
      // What the team does with a port that stepped down: its measures go down to the new level's, listed below.
      ...(notice.kind === 'port-above-city' && notice.portSteppedDownFrom != null
        ? [h('div', {}, h('dt', {}, 'Stepped down from'), h('dd', { 'data-level': 'port-before' },
          `${responseLevel(notice.portSteppedDownFrom, notice.portSteppedDownFromName)}: stand the port's measures down to ${next}'s`))]
        : [])]
    : [h('div', {}, h('dt', {}, 'Levels'), h('dd', {}, `${previous} → ${next}`))];
}

// The notice's city, as a link to its page when this key may open it (a responder its own cities, analysts all).
function cityLink(n, topo, opens) {
  const name = topo?.cityById.get(n.city)?.name || n.cityName || n.city;
  return opens('city', n.city) ? link(entityHref('city', n.city), name) : name;
}

/**
 * "acknowledged by Suifenhe response team", then the comment on a line of its own, the whole acknowledgement (key id,
 * time, comment) in the tooltip: "acknowledged" alone did not say who took the notice in hand (newcomer 17 F10).
 */
function ackStatus(n) {
  const who = n.acknowledgedByLabel || n.acknowledgedBy;
  const whole = `Acknowledged by ${acker(n)}${n.acknowledgedAt ? ` at ${stamp(n.acknowledgedAt)}` : ''}${n.acknowledgementComment ? ` — “${n.acknowledgementComment}”` : ''}`;
  return h('span', { class: 'ack-status', title: whole, 'data-acknowledged-by': n.acknowledgedBy || '' },
    who ? `acknowledged by ${who}` : 'acknowledged',
    n.acknowledgementComment ? h('small', { class: 'ack-comment' }, `“${n.acknowledgementComment}”`) : null);
}

/**
 * Every city's notices dated in a period, for analysts, operators and admins (the API's GET /notices?from=&to=):
 * which cities escalated this fortnight, newest first, filtered by city and kind, read-only. Newcomer 13 found
 * analysts could see notices nowhere but the raw API; newcomer 17 that operators, who see everything analysts do,
 * had only one city's inbox. Operators also open each notice's page and a city's inbox (/notices/{city}) from here.
 * The period is the last 14 days to the clock's day unless the address says otherwise (?from=&to=).
 */
export async function allNoticesView(who) {
  const [topo, clock] = await Promise.all([topology(), api('/clock')]);
  const params = new URLSearchParams(location.search);
  const state = {
    from: params.get('from') || isoDay(clock.date, -13),
    to: params.get('to') || clock.date,
    city: params.get('city') || '',
    kind: params.get('kind') || '',
    rows: [],
  };
  const status = h('p', { class: 'muted', role: 'status' });
  const error = h('div', { role: 'alert' });
  const table = h('table', { class: 'grid all-notices', 'aria-label': 'Notices of every city' });
  const from = h('input', { type: 'text', value: state.from, size: 10, placeholder: 'YYYY-MM-DD', inputmode: 'numeric', autocomplete: 'off' });
  const to = h('input', { type: 'text', value: state.to, size: 10, placeholder: 'YYYY-MM-DD', inputmode: 'numeric', autocomplete: 'off' });
  const city = select([['', 'All cities'], ...topo.cities.map(c => [c.id, c.name])], state.city, { onchange: e => { state.city = e.target.value; draw(); } });
  const kind = select([['', 'All kinds'], ...Object.entries(KIND_TEXT)], state.kind, { onchange: e => { state.kind = e.target.value; draw(); } });
  // Notice pages and inboxes are the response teams' and operators' (an analyst's key may not read a city's list).
  const operator = who?.role === 'operator' || who?.role === 'admin';

  function draw() {
    const rows = state.rows
      .filter(n => (!state.city || n.city === state.city) && (!state.kind || n.kind === state.kind))
      .sort((a, b) => b.date.localeCompare(a.date) || a.city.localeCompare(b.city) || b.sequence - a.sequence);
    const cities = new Set(rows.map(n => n.city)).size;
    status.textContent = `${rows.length} ${rows.length === 1 ? 'notice' : 'notices'} in ${cities} ${cities === 1 ? 'city' : 'cities'}, dated ${state.from} to ${state.to}.`;
    table.replaceChildren(
      h('thead', {}, h('tr', {}, ['Day', 'City', 'Notice', 'Level', 'Status', 'Issued'].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows.length ? rows.map(n => h('tr', { 'data-notice': n.id },
        h('td', {}, n.date),
        h('td', {}, link(entityHref('city', n.city), topo.cityById.get(n.city)?.name || n.city)),
        h('td', {}, operator ? link(noticeHref(n), summary(n, topo)) : summary(n, topo), n.dataQualityWarning ? h('p', { class: 'quality-warning' }, n.dataQualityWarning) : null),
        h('td', {}, h('span', { class: `badge lvl-n${n.newLevel}` }, responseLevel(n.newLevel, n.newLevelName))),
        h('td', { 'data-status': n.status }, n.status === 'open' ? 'open' : ackStatus(n), aheadOfClock(n, clock.date, 'small'),
          // After an acknowledgement (its team and comment on lines of their own) on a line of its own as well.
          n.supersededBy ? h('small', { class: 'muted superseded-by' }, `${n.status === 'open' ? ' · ' : ''}superseded by ${n.supersededBy}`) : ''),
        h('td', {}, stamp(n.issuedAt))))
        : [h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No notice is dated in this period.'))]));
    const q = new URLSearchParams({ from: state.from, to: state.to });
    if (state.city) q.set('city', state.city);
    if (state.kind) q.set('kind', state.kind);
    history.replaceState(null, '', `/notices?${q}`);
  }

  async function load() {
    error.replaceChildren();
    const problem = dayProblem(from.value.trim()) || dayProblem(to.value.trim());
    if (problem) {
      error.replaceChildren(h('p', { class: 'error' }, problem));
      return;
    }
    try {
      const rows = await api(`/notices?from=${from.value.trim()}&to=${to.value.trim()}`);
      Object.assign(state, { from: from.value.trim(), to: to.value.trim(), rows });
      draw();
    } catch (err) {
      error.replaceChildren(errorBox(err));
    }
  }

  const form = h('form', { class: 'filters', onsubmit: e => { e.preventDefault(); load(); } },
    field('From', from), field('To', to), h('div', { class: 'field end' }, h('button', { type: 'submit' }, 'Show')),
    field('City', city), field('Kind', kind));
  const inbox = operator
    ? h('form', { class: 'filters inbox-picker', onsubmit: e => e.preventDefault() },
      field('A city’s inbox', select([['', 'Choose a city…'], ...topo.cities.map(c => [c.id, c.name])], '', {
        onchange: e => { if (e.target.value) location.assign(`/notices/${encodeURIComponent(e.target.value)}`); },
      }), 'Its notices live, as its response team reads them.'))
    : null;
  await load();
  return {
    element: h('section', {}, h('h1', {}, 'Notices of every city'),
      h('p', { class: 'muted' }, 'Read-only: each city’s response team acknowledges its own notices in its inbox.'),
      form, inbox, error, status, h('div', { class: 'table-wrap' }, table)),
    title: 'Notices',
  };
}

export async function noticeView(city, id, who) {
  const [notices, topo] = await allInOrder([api(`/cities/${encodeURIComponent(city)}/notices`), topology()]);
  const opens = canOpen(who, topo);
  const n = notices.find(x => x.id === id);
  if (!n) return { element: errorBox({ problem: { title: 'Unknown notice', detail: `City '${city}' has no notice '${id}'.` } }), title: 'Unknown notice' };
  // The clock's day from the city's view (a responder reads no clock), read only for a notice dated after it.
  const clockDay = n.aheadOfClock ? (await api(`/cities/${encodeURIComponent(city)}`).catch(() => null))?.asOf : null;
  const body = h('div', {});
  function draw(notice) {
    body.replaceChildren(
      h('p', { class: 'crumbs' }, link('/notices', 'Notices'), ' / ', link(`/notices/${encodeURIComponent(notice.city)}`, topo?.cityById.get(notice.city)?.name || notice.city), ' / ', notice.id),
      h('h1', {}, summary(notice, topo)),
      // Superseded first: a responder landing here from an old link must not act on a notice a later one replaced.
      // Not in force first too: a step down dated after the clock's day read as the city's level now.
      aheadOfClock(notice, clockDay) ?? '',
      superseded(notice, notices.find(x => x.id === notice.supersededBy), topo) ?? '',
      h('dl', { class: 'facts' },
        h('div', {}, h('dt', {}, 'Status'), h('dd', { 'data-status': notice.status }, notice.status)),
        h('div', {}, h('dt', {}, 'City'), h('dd', { 'data-city': notice.city }, cityLink(notice, topo, opens))),
        h('div', {}, h('dt', {}, 'Day'), h('dd', {}, notice.date)),
        h('div', {}, h('dt', {}, 'Issued'), h('dd', { 'data-issued': notice.issuedAt }, stamp(notice.issuedAt))),
        h('div', {}, h('dt', {}, isPortNotice(notice) ? 'Port score' : 'Score'), h('dd', { 'data-score': notice.score ?? 'none' }, notice.score == null ? `no score (${notice.noScoreReason || 'insufficient data'})` : fmtScore(notice.score))),
        ...levelFacts(notice)),
      // Before the actions: whether the data behind the change was thin ('' when it was not, as for the port link).
      localCases(notice) ?? '',
      shortfallLine(notice) ?? '',
      cityLevelChangedLater(notice) ?? '',
      dataQuality(notice, true) ?? '',
      // Only a port-above-city notice whose port the key may open has a port link ('' otherwise: replaceChildren
      // would write a null as the text "null").
      portLink(notice, topo, opens) ?? '',
      // Before the actions, which it qualifies ('' for a notice issued before it was kept).
      testingCapacity(notice.testingCapacity, 'Testing capacity on that day', true) ?? '',
      isolationCapacity(notice.isolationCapacity, 'Isolation capacity on that day', true) ?? '',
      portLevelNote(notice) ?? '',
      h('h2', {}, 'Recommended actions'), h('ul', {}, notice.actions.map(a => h('li', {}, a))),
      continuedActions(notice.continuedActions, true) ?? '',
      // A score that does not exist has no driver (a notice stored before newcomer 17 F1 may still list some).
      h('h2', {}, 'What drove it'), notice.score == null
        ? h('p', { class: 'muted', 'data-no-drivers': true }, `Nothing: the ${isPortNotice(notice) ? 'port' : 'city'} had no score that day, so no component drove it.`)
        : h('ul', {}, notice.drivers.map(d => h('li', { 'data-component': d.name }, h('strong', { title: d.name }, componentLabel(d.name, isPortNotice(notice) ? 'port' : 'city')), ` (${fmt(d.contribution)} points): `, d.explanation))),
      notice.status === 'acknowledged'
        ? h('p', { class: 'acked' }, `Acknowledged by ${acker(notice)} at ${stamp(notice.acknowledgedAt)}`, notice.acknowledgementComment ? ` — “${notice.acknowledgementComment}”` : '')
        : ackForm(notice, draw),
      unsentComment(notice) ?? '',
      h('p', {}, 'Stable link: ', h('code', {}, location.origin + noticeHref(notice))));
  }
  draw(n);
  return { element: h('article', { class: 'notice-page' }, body), title: n.id };
}
