// An entity's page: score and level over time (uPlot), components with their explanations, classifications,
// data quality, metrics, the chain (country → ports facing it → their cities → provinces) and history as CSV.
import uPlot from 'uplot';
import { api, allInOrder, topology, canOpen, ApiError } from './api.js';
import { h, levelBadge, responseBadge, fmt, fmtScore, casesWeeks, entityHref, link, downloadCsv, field, responseLevel, componentLabel, componentWeight, floorTitle, componentValue, dayProblem, responseInForce, isoDay, LEVEL_NAMES } from './ui.js';

const PATHS = { country: 'countries', port: 'ports', city: 'cities', province: 'provinces' };
const HISTORY_DAYS = 180;

// Days before the first report carry no score: the chart starts where the entity's story starts.
function chartDays(all) {
  const first = all.findIndex(p => p.score !== null);
  return first > 0 ? all.slice(first) : all;
}

// The chart's title names the days it shows: an entity scored for 20 days gets those 20, not "the last 180 days".
function historyTitle(all) {
  const days = chartDays(all);
  if (!days.some(p => p.score !== null)) return 'Score and score band: no score yet';
  const first = days[0].date;
  const last = days[days.length - 1].date;
  return first === last ? `Score and score band, ${first}` : `Score and score band, ${first} to ${last}`;
}

// How far back the chart reaches, and where the rest of the history kept is: the page draws HISTORY_DAYS, while the
// API keeps two years, so Khorgos's first warning of 31 March could not be found from December (newcomer 23a L4).
function historyReach(kind, id, asOf) {
  const from = isoDay(asOf, -(HISTORY_DAYS - 1));
  return h('p', { class: 'muted', 'data-history-reach': from },
    `The chart reaches back ${HISTORY_DAYS} days, to ${from}. Earlier days are kept: `,
    h('code', {}, `riskmesh history ${kind} ${id} --from YYYY-MM-DD --to ${asOf}`), '.');
}

// `opens(kind, id)` says which entities this key may open: the others are named without a link (a responder's chain
// names the countries its ports face and its province, but only its cities and their ports lead anywhere).
function chain(kind, id, topo, opens = () => true) {
  const to = (k, key, text) => (key != null && opens(k, key) ? link(entityHref(k, key), text) : text);
  const portItem = p => h('li', {}, to('port', p.id, p.name), ' → ', to('city', p.city, topo.cityById.get(p.city)?.name || p.city),
    ' → ', to('province', topo.cityById.get(p.city)?.province, topo.provinceById.get(topo.cityById.get(p.city)?.province)?.name || ''));
  const faces = p => p.faces.map((f, i) => [i ? ', ' : '', to('country', f, topo.countryByCode.get(f)?.name || f)]);
  if (kind === 'country') {
    const ports = topo.ports.filter(p => p.faces.includes(id));
    return ports.length ? h('ul', { class: 'chain' }, ports.map(portItem)) : h('p', { class: 'muted' }, 'No port of the topology faces this country.');
  }
  if (kind === 'port') {
    const p = topo.portById.get(id);
    return h('ul', { class: 'chain' }, h('li', {}, 'Faces ', faces(p)), portItem(p));
  }
  if (kind === 'city') {
    const c = topo.cityById.get(id);
    const ports = topo.ports.filter(p => p.city === id);
    return h('ul', { class: 'chain' },
      ports.map(p => h('li', { 'data-port': p.id }, faces(p), ' → ', to('port', p.id, p.name))),
      h('li', {}, 'Province: ', to('province', c.province, topo.provinceById.get(c.province)?.name || c.province)));
  }
  // A province's cities are its assistance table already: the chain lists what the table does not, its crossings
  // and the countries they face (it listed the cities a second time).
  const cities = new Set(topo.cities.filter(c => c.province === id).map(c => c.id));
  const ports = topo.ports.filter(p => cities.has(p.city));
  return ports.length
    ? h('ul', { class: 'chain' }, ports.map(p => h('li', {}, to('port', p.id, p.name), ` · ${topo.cityById.get(p.city)?.name || p.city} · faces `, faces(p))))
    : h('p', { class: 'muted' }, 'No port of the topology is in this province.');
}

// Metrics whose names alone mislead: a city's importedCases14d counts only cases found in the city itself, while the
// score's importedCases component counts those hosted (found at its ports too), so "importedCases14d 0" stood beside
// "importedCases 24" with no word why.
const METRIC_NOTES = {
  city: {
    importedCases14d: 'imported cases found in the city itself (not at its ports), 14 days',
    importedHosted14d: 'imported cases found at its ports or in the city and isolated here, 14 days (the importedCases component)',
    localCases14d: 'locally acquired confirmed cases, 14 days',
    exposureFloor: 'score floor from its most exposed port, one level lower',
    portExposureFloor: "that port's own exposure floor",
  },
  port: {
    importedCases14d: 'imported cases found at this port, 14 days',
    dailyInbound: 'travellers a day reported, 7-day mean (empty when none reported)',
    carriedInbound: 'last reported traffic carried forward (no report in the last 7 days)',
    nominalInbound: "the topology's ordinary-day figure, used when nothing is reported or carried",
    estimatedTraffic: "1 when today's score rests on carried or nominal traffic",
  },
};

const DAY = 86400;
const DAY_STEPS = [DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY, 56 * DAY];
const isoDate = seconds => new Date(seconds * 1000).toISOString().slice(0, 10);
// Where the bands begin when the server does not say (ScoringOptions' defaults).
const DEFAULT_BANDS = { moderate: 25, high: 50, veryHigh: 75 };
// Each band's fill behind the score line: the map's band colours, faint enough for the line to read over them.
const BAND_FILL = { low: 'rgb(46 157 91 / 12%)', moderate: 'rgb(224 177 0 / 16%)', high: 'rgb(232 115 26 / 16%)', 'very-high': 'rgb(192 38 45 / 14%)' };

/**
 * The score bands as regions of the 0–100 score, from the thresholds the server scores with (`scoreBands` of /me).
 * They used to be a second line on their own 1–4 scale, which put Low at a score of about 12 and Moderate at about
 * 37 on the score's axis, where a reader took 37 for the start of Moderate (25): now each band is shaded where its
 * scores lie, and the score axis is ruled at the thresholds themselves (newcomer 16).
 */
export function bandRegions(thresholds) {
  const t = { ...DEFAULT_BANDS, ...(thresholds || {}) };
  return [
    { band: 'low', from: 0, to: t.moderate },
    { band: 'moderate', from: t.moderate, to: t.high },
    { band: 'high', from: t.high, to: t.veryHigh },
    { band: 'very-high', from: t.veryHigh, to: 100 },
  ];
}

function chart(all, thresholds) {
  const history = chartDays(all);
  const xs = history.map(p => Date.parse(p.date + 'T00:00:00Z') / 1000);
  const scores = history.map(p => p.score);
  const bands = history.map(p => p.level);
  const regions = bandRegions(thresholds);
  const holder = h('div', { class: 'chart', role: 'img', 'aria-label': `Score over ${history.length} days on the score bands: ${regions.map(r => `${LEVEL_NAMES[r.band]} ${r.from}–${r.to}`).join(', ')}` });
  const plot = () => {
    const width = Math.max(280, holder.clientWidth || 800);
    const u = new uPlot({
      width, height: 260,
      scales: { x: { time: true }, score: { range: [0, 100] } },
      // The legend names the day under the cursor; with the cursor elsewhere, the last day (it read "Day: Score:
      // Score band:" with empty values until hovered). The band is the day's own, from the history: it has no line.
      series: [
        { label: 'Day', value: (u, v, s, idx) => legendValue(xs, v, idx, isoDate) },
        { label: 'Score', scale: 'score', stroke: '#1f6feb', width: 2, value: (u, v, s, idx) => legendValue(scores, v, idx, fmtScore) },
        { label: 'Score band', scale: 'score', paths: () => null, points: { show: false }, value: (u, v, s, idx) => legendValue(bands, idx == null ? null : bands[idx], idx, b => LEVEL_NAMES[b] ?? b) },
      ],
      // Daily data: ticks fall on whole days and read as dates, never as hours of a day. The score axis is ruled at
      // the thresholds; the right axis names each band in the middle of its region, not at a score of its own.
      axes: [
        { incrs: DAY_STEPS, space: 60, values: (u, vs) => vs.map(v => isoDate(v).slice(5)) },
        { scale: 'score', label: 'Score', splits: () => [0, ...regions.slice(1).map(r => r.from), 100] },
        { scale: 'score', side: 1, label: 'Score band', size: 84, grid: { show: false }, ticks: { show: false },
          splits: () => regions.map(r => (r.from + r.to) / 2), values: (u, vs) => vs.map(v => LEVEL_NAMES[regions.find(r => (r.from + r.to) / 2 === v)?.band] ?? '') },
      ],
      hooks: {
        // Under the axes' grid and the line: each band's region across the plot.
        drawClear: [u => {
          const { ctx, bbox } = u;
          ctx.save();
          for (const r of regions) {
            const top = u.valToPos(r.to, 'score', true);
            ctx.fillStyle = BAND_FILL[r.band];
            ctx.fillRect(bbox.left, top, bbox.width, u.valToPos(r.from, 'score', true) - top);
          }
          ctx.restore();
        }],
      },
    }, [xs, scores, scores.map(() => null)], holder);
    // Kept on the element so a test can read the axes and regions as drawn (they are painted on a canvas).
    holder.uplot = u;
    holder.bandRegions = regions;
    return u;
  };
  return { holder, plot };
}

/**
 * The history day by day, newest first, folded under the chart: score, score band and, for a city, the level of its
 * plan in force that day, which the chart does not draw (an analyst could not see which level held on a day).
 */
function historyTable(all, responses) {
  const days = chartDays(all).slice().reverse();
  if (!days.some(p => p.score !== null)) return null;
  const heads = ['Day', 'Score', 'Score band', ...(responses ? ['Response level in force'] : [])];
  return h('details', { class: 'history-days' },
    h('summary', {}, `History by day (${days.length} days${responses ? ', with the response level in force' : ''})`),
    h('div', { class: 'table-wrap' }, h('table', { class: 'grid history' },
      h('thead', {}, h('tr', {}, heads.map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, days.map(p => h('tr', { 'data-date': p.date },
        h('th', { scope: 'row' }, p.date), h('td', { class: 'num' }, fmtScore(p.score)), h('td', {}, levelBadge(p.level)),
        responses ? h('td', { 'data-response-level': p.responseLevel ?? '' }, responseBadge(p.responseLevel)) : null))))));
}

/** A legend value: the one under the cursor, or the last day's when the cursor is off the chart; '' when there is none. */
function legendValue(values, v, idx, format) {
  const value = idx == null ? values[values.length - 1] : v;
  return value == null ? '' : format(value) ?? '';
}

/**
 * What the address asks to show as known on (?asKnownOn=): { day } to ask the API for, { text, problem } for a day the
 * page can see it cannot show (checked as a typed day is), or null without one. A shared link with a day that is no
 * day (2020-02-30) showed only the API's error on a blank page, with no box to correct it (newcomer 19 L11); one
 * written otherwise (30/04/2020) was ignored without a word.
 */
function asKnownOnAsked() {
  const text = new URLSearchParams(location.search).get('asKnownOn');
  if (text === null) return null;
  const problem = text.trim() ? dayProblem(text.trim()) : 'The address gives an empty asKnownOn: write the day as YYYY-MM-DD, e.g. 2020-04-10.';
  return problem ? { text, problem } : { day: text.trim() };
}

/**
 * The view at `path` as the address asks: as known on its day, or today's when the page or the API refuses that day
 * (after the clock's day, older than the history kept), the refusal then kept for the box to show beside it.
 */
async function viewAsAsked(path, asked) {
  if (!asked?.day) return { view: await api(path), asked };
  try {
    return { view: await api(`${path}?asKnownOn=${asked.day}`), asked };
  } catch (error) {
    // Only the day can make these reads a 400; anything else (404, 403, a server down) is the page's error as before.
    if (!(error instanceof ApiError) || error.status !== 400) throw error;
    return { view: await api(path), asked: { text: asked.day, problem: error.problem.detail || error.message } };
  }
}

/** Shows the page at another address of the console (a new history entry), as a navigation link would. */
function go(href) {
  history.pushState(null, '', href);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/**
 * "As known on": a date that re-renders the page (view and history) as RiskMesh knew it at the end of that day, from
 * the events accepted by then; the address keeps it, so the page can be shared and reloaded.
 */
function asKnownOnForm(asKnownOn, asOf, refused) {
  // Text, not type=date, as on the clock page: the browser's date box shows its locale's order (04/10/2020 in an
  // American browser), which reads as another day elsewhere; the API, the CLI and the address speak ISO dates.
  const error = h('div', { class: 'field-error', id: 'as-known-on-error', role: 'alert' });
  const input = h('input', { type: 'text', name: 'asKnownOn', value: refused?.text ?? asKnownOn ?? '', placeholder: 'YYYY-MM-DD', inputmode: 'numeric',
    autocomplete: 'off', size: 10, required: true, 'aria-describedby': error.id, 'aria-invalid': refused ? 'true' : null });
  // A day the address asked for and the page could not show: said beside the box that holds it, as a typed one is,
  // with what the page shows instead.
  if (refused) error.textContent = `${refused.problem} The page shows today's knowledge.`;
  // Checked here before the page changes address: the API would refuse the same day, and the page would show only its error.
  function problem(text) {
    if (!text) return 'Write the day to show, as YYYY-MM-DD (year, month, day), e.g. 2020-04-10.';
    return dayProblem(text) ?? (asOf && text > asOf ? `${text} is after the clock's day (${asOf}): nothing is known of it yet.` : null);
  }
  return h('form', { class: 'as-known-on filters', novalidate: true, 'aria-label': 'Show this page as known on a day', onsubmit: e => {
    e.preventDefault();
    const text = input.value.trim();
    const wrong = problem(text);
    error.textContent = wrong ?? '';
    if (wrong) { input.setAttribute('aria-invalid', 'true'); input.focus(); return; }
    input.removeAttribute('aria-invalid');
    go(`${location.pathname}?asKnownOn=${text}`);
  } },
  field('As known on', input, 'What RiskMesh said at the end of that day, before later revisions.'),
  h('button', { type: 'submit' }, 'Show as known then'),
  asKnownOn || refused ? h('button', { type: 'button', class: 'link', onclick: () => go(location.pathname) }, "Today's knowledge") : null,
  error);
}

function asKnownOnBanner(asKnownOn) {
  return asKnownOn
    ? h('p', { class: 'as-known', role: 'status', 'data-as-known-on': asKnownOn },
      `As known on ${asKnownOn}: the view and history as RiskMesh answered at the end of that day, from the events accepted by then (later revisions left out; the topology is today's).`)
    : null;
}

/** A city's response plan, read-only (responders see their own city's; operators edit it on the Plans page). */
async function planSection(id, who) {
  if (!['responder', 'operator', 'admin'].includes(who?.role)) return null;
  const plan = await api(`/cities/${encodeURIComponent(id)}/plan`);
  return h('section', { class: 'plan-readonly' }, h('div', { class: 'title-row' }, h('h2', {}, plan.isDefault ? 'Response plan (default)' : 'Response plan'),
    who.role === 'responder' ? null : link(`/plans?city=${encodeURIComponent(id)}`, 'Edit plan')),
  h('p', { class: 'muted', 'data-levels-stand-alone': String(Boolean(plan.levelsStandAlone)) }, plan.levelsStandAlone
    ? 'Each level’s actions replace the lower levels’ (this plan’s levels stand alone).'
    : 'Each level keeps the lower levels’ actions in force beside its own.'),
  h('div', { class: 'table-wrap' }, h('table', { class: 'grid plan' },
    h('thead', {}, h('tr', {}, ['Level', 'Name', 'Enter at', 'Leave below', 'Dwell days', 'Actions'].map(t => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, plan.levels.map(l => h('tr', { 'data-level': l.level },
      h('th', { scope: 'row' }, String(l.level)), h('td', {}, l.name), h('td', { class: 'num' }, fmt(l.enterAt)), h('td', { class: 'num' }, fmt(l.exitBelow)),
      h('td', { class: 'num' }, String(l.dwellDays)), h('td', { class: 'actions' }, h('ul', {}, l.actions.map(a => h('li', {}, a))))))))));
}

export async function entityView(kind, id, who) {
  // Every key reads the topology (names are not secret). A responder reads its own cities and their ports: its chain
  // links only those, and it reads no clock or rankings (the crumbs lead to its notices instead).
  const topo = await topology();
  const reader = who?.role !== 'responder';
  const opens = canOpen(who, topo);
  if (kind === 'province') return provinceView(id, topo, asKnownOnAsked(), who);
  const path = `/${PATHS[kind]}/${encodeURIComponent(id)}`;
  const [{ view, asked }, clock, plan] = await allInOrder([viewAsAsked(path, asKnownOnAsked()), reader ? api('/clock') : null, kind === 'city' ? planSection(id, who) : null]);
  const asKnownOn = asked?.day ?? null;
  const known = asKnownOn ? `asKnownOn=${asKnownOn}` : '';
  const history = await historyOf(path, view.asOf, known);
  const scores = historySection(kind, id, view.asOf, history, who?.scoreBands);
  let uplot;

  const quality = view.dataQuality || {};
  const flags = qualityFlags(quality);

  // A responder comes to a port from its city: the crumbs lead back there.
  const portCity = !reader && kind === 'port' ? topo.portById.get(id)?.city : null;
  const element = h('article', { class: 'entity', 'data-kind': kind, 'data-id': id },
    h('p', { class: 'crumbs' }, reader ? link('/rankings?kind=' + kind, kind === 'city' ? 'Cities' : kind === 'port' ? 'Ports' : 'Countries') : link('/notices', 'Notices'),
      portCity ? [' / ', link(entityHref('city', portCity), topo.cityById.get(portCity)?.name || portCity)] : null,
      ' / ', view.name),
    h('div', { class: 'title-row' }, h('h1', {}, view.name), headlineBadges(view)),
    responseInForce(view),
    asKnownOnBanner(asKnownOn),
    asKnownOnForm(asKnownOn, clock?.date || view.asOf, asked?.problem ? asked : null),
    h('dl', { class: 'facts' },
      h('div', {}, h('dt', {}, 'Score'), h('dd', { class: 'big' }, fmtScore(view.score))),
      h('div', {}, h('dt', {}, 'Score band'), h('dd', {}, LEVEL_NAMES[view.level] || view.level)),
      h('div', {}, h('dt', {}, 'Score trend'), h('dd', {}, view.trend)),
      // A country's score falls when its growth slows, while its cases may still grow (newcomer 19, L16): both, side by side.
      kind === 'country' && view.metrics?.growth7d != null && view.metrics?.cases7d != null && view.metrics?.cases14d != null
        ? h('div', { 'data-fact': 'cases-growth' }, h('dt', {}, 'Cases, last 7 days vs 7 before'), h('dd', {}, casesWeeks(view.metrics.cases7d, view.metrics.cases14d - view.metrics.cases7d)))
        : null,
      h('div', {}, h('dt', {}, 'As of'), h('dd', {}, view.asOf)),
      view.classifications ? h('div', {}, h('dt', {}, 'ECDC'), h('dd', {}, h('span', { class: `badge ecdc-${view.classifications.ecdc}` }, view.classifications.ecdc),
        // Grey says why (no testing data, testing rate 300 or fewer, not enough data): not assessed, never low (newcomer 23a L6).
        view.classifications.ecdcGreyReason ? h('small', { class: 'muted', 'data-ecdc-grey-reason': '' }, ` ${view.classifications.ecdcGreyReason}`) : null)) : null,
      view.classifications ? h('div', {}, h('dt', {}, 'CDC notice'), h('dd', {}, h('span', { class: `badge cdc-${view.classifications.cdcThn}` }, view.classifications.cdcThn))) : null),
    scores.element,
    h('section', {}, h('h2', {}, 'Why: the components'),
      h('div', { class: 'table-wrap' }, h('table', { class: 'grid components' },
        h('thead', {}, h('tr', {}, ['Component', 'Value', 'Normalised', 'Weight', 'Contribution', 'Explanation'].map(t => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, view.components.map(c => h('tr', { 'data-component': c.name },
          h('th', { scope: 'row', title: c.name }, componentLabel(c.name, kind)), h('td', { class: 'num value' }, componentValue(c)),
          h('td', { class: 'num' }, fmt(c.normalized, 2)),
          h('td', { class: 'num', title: floorTitle(c) }, componentWeight(c)),
          h('td', { class: 'num' }, fmt(c.contribution, 1)),
          h('td', { class: 'explanation' }, c.explanation))))))),
    h('div', { class: 'two' },
      h('section', {}, h('h2', {}, 'Data quality'),
        // "No flags." only when there is nothing to say: never above a note that the data is estimated or old.
        flags.length ? h('ul', { class: 'flags' }, flags.map(f => h('li', { 'data-flag': f.name }, f.text)))
          : quality.notes?.length ? null : h('p', {}, 'No flags.'),
        quality.notes?.length ? h('ul', { class: 'notes' }, quality.notes.map(n => h('li', { class: 'muted' }, n))) : null),
      h('section', { class: 'chain-section' }, h('h2', {}, kind === 'city' ? 'Ports and chain' : 'Chain'), chain(kind, id, topo, opens))),
    plan,
    h('section', {}, h('h2', {}, 'Metrics'),
      h('dl', { class: 'metrics' }, Object.entries(view.metrics || {}).sort().map(([k, v]) => h('div', {}, h('dt', { title: METRIC_NOTES[kind]?.[k] || null }, k, METRIC_NOTES[kind]?.[k] ? h('small', { class: 'metric-note' }, METRIC_NOTES[kind][k]) : null), h('dd', {}, metric(v)))))));

  return {
    element,
    title: view.name,
    ready: () => { uplot = scores.plot(); },
    dispose: () => uplot?.destroy(),
  };
}

/** The last HISTORY_DAYS days of the entity at `path` to `asOf`, as known on a day when `known` says so. */
function historyOf(path, asOf, known) {
  return api(`${path}/history?from=${isoDay(asOf, -(HISTORY_DAYS - 1))}&to=${asOf}${known ? '&' + known : ''}`);
}

/**
 * The score over time: title, CSV export, chart, how far back it reaches and the days folded under it, for any entity
 * with a history (a province's days are its riskiest city's score and band, as the API's history gives them).
 */
function historySection(kind, id, asOf, history, scoreBands) {
  const metricsKeys = [...new Set(history.flatMap(p => Object.keys(p.metrics || {})))].sort();
  const { holder, plot } = chart(history, scoreBands);
  // A city's days carry the level of its plan in force (the API's responseLevel); other kinds have none.
  const responses = kind === 'city' && history.some(p => p.responseLevel != null);
  const csv = h('button', { type: 'button', onclick: () => downloadCsv(`riskmesh-${kind}-${id}-history.csv`, ['date', 'score', 'level', ...(responses ? ['response_level'] : []), ...metricsKeys],
    history.map(p => [p.date, p.score ?? '', p.level, ...(responses ? [p.responseLevel ?? ''] : []), ...metricsKeys.map(k => p.metrics?.[k] ?? '')])) }, 'Export history CSV');
  const element = h('section', { class: 'score-history' }, h('div', { class: 'title-row' }, h('h2', {}, historyTitle(history)), csv), holder, historyReach(kind, id, asOf), historyTable(history, responses));
  return { element, plot };
}

async function provinceView(id, topo, wanted, who) {
  const path = `/provinces/${encodeURIComponent(id)}`;
  const [{ view, asked }, clock] = await allInOrder([viewAsAsked(path, wanted), api('/clock')]);
  const asKnownOn = asked?.day ?? null;
  // README's entity pages open with the score over the last 180 days: a province's too, its riskiest city's score
  // day by day (newcomer 24b, M4: the page had only today's assistance table).
  const history = await historyOf(path, view.asOf, asKnownOn ? `asKnownOn=${asKnownOn}` : '');
  const scores = historySection('province', id, view.asOf, history, who?.scoreBands);
  let uplot;
  const element = h('article', { class: 'entity', 'data-kind': 'province', 'data-id': id },
    h('p', { class: 'crumbs' }, link('/rankings?kind=province', 'Provinces'), ' / ', view.name),
    h('h1', {}, view.name),
    responseInForce(view),
    asKnownOnBanner(asKnownOn),
    asKnownOnForm(asKnownOn, clock?.date || view.asOf, asked?.problem ? asked : null),
    scores.element,
    h('h2', {}, 'Assistance'),
    h('p', { class: 'muted' }, `As of ${view.asOf}. Cities ranked by need (score × capacity gap) with what to dispatch first.`),
    assistanceTable(view.cities),
    h('section', { class: 'crossings' }, h('h2', {}, 'Border crossings'), chain('province', id, topo)));
  return { element, title: view.name, ready: () => { uplot = scores.plot(); }, dispose: () => uplot?.destroy() };
}

// The four groups cities are ranked in, group first (README, "Escalation, plans and notices"), by the id the API
// gives each row (`group`): the server decides, the page only names it. Without the headings a reader saw
// "Need 0.00" ranked above "Need 0.10" and took the table for mis-sorted.
export const ASSISTANCE_GROUPS = [
  { id: 'send', name: 'Send something', how: 'a national or dispatch recommendation; by need' },
  { id: 'capacity-not-reported', name: 'Capacity not reported', how: 'scored, capacity never reported; by score, the need an estimate at half the gap' },
  { id: 'keep-monitoring', name: 'Keep monitoring', how: 'no shortfall crosses a threshold; by need' },
  { id: 'insufficient-data', name: 'Insufficient data', how: 'too few recent reports to judge; busiest first' },
];

// A group this console has no words for yet is shown by its id rather than folded into another.
const groupOf = row => ASSISTANCE_GROUPS.find(g => g.id === row.group) ?? { id: row.group || 'unknown', name: row.group || 'Unknown group', how: 'as the API ranks it' };

/** Cities ranked for assistance, under the heading of the group each is ranked in, with the recommended actions and why. */
export function assistanceTable(rows) {
  const columns = ['#', 'City', 'Province', 'Score', 'Score band', 'Capacity gap', 'Need', 'Recommended', 'Why'];
  const groups = [];
  for (const r of rows) {
    const group = groupOf(r);
    if (groups.at(-1)?.group.id !== group.id) groups.push({ group, rows: [] });
    groups.at(-1).rows.push(r);
  }
  return h('div', {},
    h('p', { class: 'muted' }, 'Ranked by group first — send something, capacity not reported, keep monitoring, insufficient data — then within each group as its heading says. Need = score / 100 × capacity gap.'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'grid assistance' },
      h('thead', {}, h('tr', {}, columns.map(t => h('th', { scope: 'col' }, t)))),
      groups.map(({ group, rows: members }) => h('tbody', { 'data-group': group.id },
        h('tr', { class: 'group' }, h('th', { scope: 'colgroup', colspan: columns.length }, h('strong', {}, group.name), ` · ${group.how} (${members.length})`)),
        // Each cell is classed by its column and labelled with its heading (data-label): at phone width the rows are
        // cards, each figure with its label before it, as the column headings are then not shown (app.css).
        members.map(r => h('tr', { 'data-city': r.cityId },
          h('td', { class: 'col-rank', 'data-label': '#' }, String(r.rank)), h('td', { class: 'col-city' }, link(entityHref('city', r.cityId), r.cityName)),
          h('td', { class: 'col-province', 'data-province': r.province, title: r.province }, r.provinceName || r.province),
          h('td', { class: 'num col-score', 'data-label': 'Score' }, fmtScore(r.score)), h('td', { class: 'col-band' }, levelBadge(r.level)),
          h('td', { class: 'num col-gap', 'data-label': 'Capacity gap' }, fmt(r.capacityGap, 2)),
          // Two decimals, as the explanation gives it: at one, 0.04 read as 0.0 ranked above 0.1.
          h('td', { class: 'num need col-need', 'data-label': 'Need' }, fmt(r.need, 2)),
          // Each action with the API's reason under it: without it a moderate city with almost no gap was seen to get a
          // national team, the response level in force that asks for it said only by the CLI.
          h('td', { class: 'col-recommended', 'data-label': 'Recommended' }, h('ul', { class: 'recommendations' }, r.recommendations.map(a => h('li', { 'data-scope': a.scope }, h('span', { class: 'action' }, a.action),
            a.reason ? h('small', { class: 'reason' }, a.reason) : null)))),
          h('td', { class: 'explanation col-why', 'data-label': 'Why' }, r.explanation))))))));
}

// The badges beside the name, each with its label: the score band is the level of today's score; a city's response
// level in force is its plan's level (escalation state), which lags the band by hysteresis and dwell. An unlabelled
// "High" here was read as the level whose actions apply.
function headlineBadges(view) {
  const r = view.response;
  return h('div', { class: 'headline-badges' },
    h('span', { class: 'labelled-badge', 'data-badge': 'score-band' }, 'Score band ', levelBadge(view.level)),
    r ? h('span', { class: 'labelled-badge', 'data-badge': 'response-level' }, 'Response level in force ',
      h('span', { class: `badge lvl-n${r.level}` }, responseLevel(r.level, r.name))) : null);
}

// What each known data-quality flag means; a flag the API adds later is shown by its name until it gets a sentence.
const FLAG_TEXT = {
  'stale': q => `Stale: no report for ${q.daysSinceLastReport ?? 'many'} days and nothing upstream to score it from`,
  'no-recent-report': q => `No recent report${q.daysSinceLastReport != null ? `: the last was ${q.daysSinceLastReport} days ago` : ''}; scored from upstream data`,
  'estimated': () => 'Estimated: the score rests on estimated inputs',
  'flat-series': () => 'Flat series: cumulative unchanged while neighbours move',
  'revised': () => 'Revised: a later report replaced an earlier value',
  'missing-population': () => 'Missing population',
};

const kebab = name => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[_\s]+/g, '-').toLowerCase();

/** Every flag the view's dataQuality carries: its `flags` list and every property that is true, without repeats. */
export function qualityFlags(quality) {
  const names = [...new Set([
    ...(Array.isArray(quality.flags) ? quality.flags : []),
    ...Object.entries(quality).filter(([, v]) => v === true).map(([k]) => k),
  ].map(kebab))];
  return names.map(name => {
    const text = FLAG_TEXT[name]?.(quality) ?? (name.charAt(0).toUpperCase() + name.slice(1).replaceAll('-', ' '));
    return { name, text };
  });
}

// Counts read as whole numbers (population 100,000), rates and small values with their significant digits.
function metric(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  const size = Math.abs(v);
  if (size >= 100) return v.toLocaleString('en-US', { maximumFractionDigits: 1 });
  if (size >= 1) return v.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return v.toLocaleString('en-US', { maximumSignificantDigits: 3 });
}
