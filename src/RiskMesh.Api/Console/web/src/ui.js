// Small DOM helpers: elements are built with textContent only, so no server text is ever parsed as HTML.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export const LEVELS = ['low', 'moderate', 'high', 'very-high', 'insufficient-data'];
export const LEVEL_NAMES = { low: 'Low', moderate: 'Moderate', high: 'High', 'very-high': 'Very high', 'insufficient-data': 'Insufficient data' };
export const LEVEL_NUMBER = { low: 1, moderate: 2, high: 3, 'very-high': 4 };

/**
 * Score components by the label people read ("Import pressure" for importPressure), as the CLI and notice summaries
 * name them (RiskMesh.Scoring's ComponentLabels, which a test holds this list to); the code stays in the API's JSON and
 * in each row's data-component. An unknown code is shown as it is.
 */
export const COMPONENT_LABELS = {
  localCases: 'Local cases', asymptomatic: 'Asymptomatic cases', severeCases: 'Severe cases', importedCases: 'Imported cases',
  highestPort: 'Riskiest port', capacityGap: 'Capacity gap', portExposure: 'Port exposure', importedArrivals: 'Imported arrivals', localIncidence: 'Local incidence',
  importPressure: 'Import pressure', originCountries: 'Origin countries', exposure: 'Exposure',
  incidence: 'Incidence', growth: 'Growth', intel: 'Intelligence reports',
};

/**
 * The label of a component of an entity kind: the same code names different measures, so a port's capacity gap is its
 * "Port testing gap" and a city's its "City capacity gap", as the API's explanations and the CLI word them
 * (ComponentLabels.Of(code, kind)). Other codes, or no kind, read as COMPONENT_LABELS.
 */
const KIND_LABELS = { port: { capacityGap: 'Port testing gap' }, city: { capacityGap: 'City capacity gap' } };

export function componentLabel(code, kind) {
  return KIND_LABELS[kind]?.[code] || COMPONENT_LABELS[code] || code;
}

/**
 * A component's weight as people read it: a score floor has weight 0 yet lifts the score (its contribution), so it
 * says "floor" where "0.00" read as "does not count".
 */
export function componentWeight(c) {
  return isFloor(c) ? 'floor' : fmt(c.weight, 2);
}

/**
 * Every component of weight 0 is a score floor (the model makes no other): it says "floor" whether or not it lifts
 * the score today, as "floor" beside one floor and "0.00" beside another read as two different things (newcomer 11).
 */
export function isFloor(c) {
  return c.weight === 0;
}

/** What a floor does today, for its weight's tooltip. */
export function floorTitle(c) {
  if (!isFloor(c)) return null;
  return c.contribution > 0
    ? `A score floor: it lifts the score by ${fmt(c.contribution, 1)} points today, to at least its floor, rather than weighing in`
    : 'A score floor: it does not lift the score today (the score is already at or above it); it never weighs in';
}

/**
 * A response level as every text of RiskMesh names it: its number and its name in the city's plan, "level 2 (heightened)"
 * (level 1 is "normal vigilance"); score-band words (Moderate, Very high) name a score, never a response level.
 */
export function responseLevel(level, name) {
  return name ? `level ${level} (${name})` : `level ${level}`;
}

/**
 * A response level in force as a badge, by its number: "level 3". Rankings and history give the number only (a plan's
 * names of past days are not kept by day, and an analyst reads no plan), so no name is guessed for it. '—' when unknown.
 */
export function responseBadge(level) {
  return level == null ? '—' : h('span', { class: `badge lvl-n${level}` }, `level ${level}`);
}

/**
 * What a ranking row's dataQuality codes say its score rests on besides the entity's own reports, as a reader says it.
 * Any of them marks the score "est." (newcomer 17 F3: ports that reported nothing ranked above one that reports).
 */
export const DATA_QUALITY_WORDS = {
  stale: 'no report recent enough to score',
  'no-recent-report': 'no recent report of its own (scored from upstream data)',
  estimated: 'traffic estimated (nominal or carried forward), its own or its ports\'',
  'capacity-not-reported': 'capacity never reported (counted as a half gap)',
  assumed: 'a component assumed, not reported',
};

/** The mark text beside a score resting on estimates or defaults. */
export const ESTIMATE_MARK = 'est.';

/**
 * "est." beside a score that rests on estimates or defaults, its tooltip naming which ("Rests on estimates, not
 * reports: no recent report of its own …; capacity never reported …"); null for a score resting on reports, or none.
 */
export function estimateMark(codes, score) {
  if (!codes?.length || score === null || score === undefined) return null;
  const why = codes.map(c => DATA_QUALITY_WORDS[c] || c).join('; ');
  return h('abbr', { class: 'est', title: `Rests on estimates, not reports: ${why}.`, 'data-quality': codes.join(' ') }, ESTIMATE_MARK);
}

export function levelBadge(level) {
  return h('span', { class: `badge lvl-${level || 'insufficient-data'}` }, LEVEL_NAMES[level] || level || 'Insufficient data');
}

export function fmt(n, digits = 1) {
  return n === null || n === undefined || Number.isNaN(n) ? '—' : Number(n).toFixed(digits);
}

/**
 * A score as every view shows it: one decimal, cut rather than rounded, so a shown score never reaches a band it is not
 * in (49.96 reads 49.9 beside Moderate, not 50.0: newcomer 23a M1). The server's ScoreText and the CLI follow the same
 * rule; the small tolerance keeps a stored 50 that JavaScript multiplies to 499.99999999999994 at 50.0.
 */
export function fmtScore(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return (Math.floor(Number(n) * 10 + 1e-9) / 10).toFixed(1);
}

/**
 * A country's cases in the last 7 days against the 7 before, "43,725 vs 34,835 (+26%)", shown beside the score's trend:
 * the score falls when growth slows while the cases may still grow (newcomer 19, L16). The counts and their exact
 * change, not the growth component's ratio with its pseudo-count (review 20, M2); empty when either week is unknown.
 */
export function casesWeeks(last, previous) {
  if (last === null || last === undefined || previous === null || previous === undefined) return '';
  const count = n => Math.round(n).toLocaleString('en-US');
  const percent = previous === 0 ? null : Math.round((last - previous) / previous * 100);
  const change = previous === 0 ? (last === 0 ? 'no change' : 'new') : percent === 0 ? 'no change' : `${percent > 0 ? '+' : '−'}${Math.abs(percent)}%`;
  return `${count(last)} vs ${count(previous)} (${change})`;
}

/**
 * A component's figure as its explanation writes it (Scales.Count and the chance's expectation on the server):
 * thousands separated, whole from 100 up, else at most two decimals ("26", "0.71", "12.5"), and two significant digits
 * below 0.01 so a small expectation never reads "0". Counts are whole, so they never show decimals.
 */
export function figure(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  const size = Math.abs(n);
  const digits = size >= 100 ? { maximumFractionDigits: 0 } : size > 0 && size < 0.01 ? { maximumSignificantDigits: 2 } : { maximumFractionDigits: 2 };
  return Number(n).toLocaleString('en-US', digits);
}

/**
 * A component's value with its unit apart (newcomer 7 F5): the figure, then the unit or scale in a muted line of its
 * own, so "0.00 0 = enough, 1 = none" and "0.00 under observation, 14 days" no longer read as one number.
 */
export function componentValue(c) {
  if (c.value === null || c.value === undefined) return '—';
  return [h('span', { class: 'figure' }, figure(c.value)), c.unit ? h('small', { class: 'unit' }, c.unit) : null];
}

/** A moment as the console writes every time: ISO-like and in UTC ("2026-11-27 10:48 UTC"), like its dates. */
export function stamp(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function link(href, ...children) {
  return h('a', { href, 'data-nav': true }, ...children);
}

export function entityHref(kind, id) {
  return `/entities/${kind}/${encodeURIComponent(id)}`;
}

export function errorBox(error) {
  const problem = error?.problem || {};
  return h('div', { class: 'error', role: 'alert' }, h('strong', {}, problem.title || 'Error'), ' ', problem.detail || error?.message || String(error));
}

/** Downloads rows as a CSV file (RFC 4180 quoting); the file is made in the browser, nothing is sent anywhere. */
export function downloadCsv(filename, header, rows) {
  const cell = v => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const text = [header, ...rows].map(r => r.map(cell).join(',')).join('\r\n') + '\r\n';
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = h('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A labelled form control, with a hint below it (text, or an element the caller keeps up to date). */
export function field(label, control, hint) {
  const id = control.id || (control.id = 'f' + Math.random().toString(36).slice(2, 9));
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint instanceof Node ? hint : hint ? h('small', { class: 'muted' }, hint) : null);
}

export function select(options, value, attrs = {}) {
  return h('select', attrs, options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
}

/**
 * What is wrong with a typed day, in words, or null when it is a real YYYY-MM-DD day within [min, max] (either bound
 * optional). The console's date boxes are text, not type=date (whose order follows the browser's locale), so the page
 * checks them itself, and checks everything it can before asking or sending anything.
 */
/** The ISO day <add> days after <date> (YYYY-MM-DD), in UTC, so no time zone or daylight saving moves it. */
export function isoDay(date, add) {
  const d = new Date(date + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + add);
  return d.toISOString().slice(0, 10);
}

export function dayProblem(text, { min, max, range } = {}) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return `Write the date as YYYY-MM-DD (year, month, day), e.g. 2020-04-20; “${text}” is not one.`;
  // Date.parse rolls 2020-02-30 over to 1 March rather than refuse it: a real day prints back as itself.
  const parsed = new Date(text + 'T00:00:00Z');
  if (Number.isNaN(parsed.getTime()) || !parsed.toISOString().startsWith(text)) return `${text} is not a real date.`;
  // ISO dates of four-digit years compare as text.
  if ((min && text < min) || (max && text > max)) return `${text} is out of range: ${range || `the date must lie from ${min || '…'} to ${max || '…'}`}.`;
  return null;
}

/**
 * The lower levels' actions that stay in force beside the notice's own (the API's continuedActions, highest level
 * first): a level-4 card listing level 4's actions alone read as if level 3's quarantine and contact tracing had ended
 * (newcomer 20b F1). On notice cards and pages and the "now" panel. Null when nothing continues (level 2, a plan whose
 * levels stand alone, a notice issued before).
 */
export function continuedActions(actions, page) {
  if (!actions?.length) return null;
  const label = 'Still in force from the plan’s lower levels';
  const list = h('ul', { class: 'actions continued', 'data-continued': actions.length }, actions.map(a => h('li', {}, a)));
  return page ? h('section', { class: 'continued-actions' }, h('h2', {}, label), list)
    : h('div', { class: 'continued-actions' }, h('p', { class: 'muted continued-label' }, `${label}:`), list);
}

/**
 * When the plan may step down. Without a score nothing is "below the exit": the plan steps down one level per dwell
 * (the server's rule, as a step down's notice says it), and the panel said "The score is below this level's exit"
 * beside "score band: Insufficient data" (newcomer 24a L1).
 */
function stepDown(view, until) {
  if (view.score !== null && view.score !== undefined) return `The score is below this level's exit; the plan can step down from ${until} if it stays there.`;
  const days = view.dataQuality?.daysSinceLastReport;
  const why = days === null || days === undefined ? 'no report ever received' : `no report for ${days} ${days === 1 ? 'day' : 'days'}`;
  return `No score (${why}): the plan steps down one level per dwell; the next step can come on ${until}.`;
}

// The level of the city's plan in force (its escalation state) beside the score band, so the two are not confused:
// after the score falls, the plan's level holds until its dwell runs out. Only the live view carries it.
export function responseInForce(view) {
  const r = view.response;
  if (!r) {
    return null;
  }

  const day = d => d;
  const band = LEVEL_NAMES[view.level] || view.level;
  return h('section', { class: 'response-in-force', 'data-response-level': String(r.level) },
    h('p', { class: 'response-line' },
      h('strong', {}, `Response level in force: ${responseLevel(r.level, r.name)}`), r.since ? ` since ${day(r.since)}` : '', `; score band: ${band}`),
    r.dwellUntil ? h('p', { class: 'muted', 'data-dwell-until': r.dwellUntil }, stepDown(view, day(r.dwellUntil))) : null,
    r.actions?.length ? h('ul', { class: 'actions' }, r.actions.map(a => h('li', {}, a))) : null,
    continuedActions(r.continuedActions, false));
}

/**
 * Asks before something that cannot be undone (the cluster's clock moved, notices acknowledged), as a modal dialog
 * rather than confirm(), so the question is part of the page, readable and styled like it. Keyboard first: the dialog
 * takes the focus on Cancel, the safe answer, Esc cancels, Tab reaches the other button. Resolves true only when the
 * person chose `confirm`, the words of the button that goes ahead.
 */
export function askFirst({ name, title, text, confirm }) {
  const heading = h('h2', { id: `${name}-title` }, title);
  const cancel = h('button', { type: 'submit', value: 'cancel' }, 'Cancel');
  const dialog = h('dialog', { class: name, 'aria-labelledby': heading.id, 'aria-describedby': `${name}-text` }, heading,
    h('div', { id: `${name}-text` }, text),
    h('form', { method: 'dialog', class: 'buttons' },
      cancel,
      h('button', { type: 'submit', value: 'confirm' }, confirm)));
  // A property, not a style attribute: the console's content security policy refuses inline style attributes.
  dialog.style.maxWidth = '36rem';
  document.body.append(dialog);
  return new Promise(resolve => {
    dialog.addEventListener('close', () => { resolve(dialog.returnValue === 'confirm'); dialog.remove(); }, { once: true });
    dialog.showModal();
    // On Cancel itself: showModal focuses the dialog's first focusable element, and a list long enough to scroll (six
    // superseded notices at phone width) is one in Chromium, so the focus landed on the list instead.
    cancel.focus();
  });
}
