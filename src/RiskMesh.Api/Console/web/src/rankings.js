// Rankings of ports, cities, countries and provinces: sortable columns, filters by province, score band and kind, CSV export.
import { topology, rankingMap } from './api.js';
import { h, levelBadge, responseBadge, fmt, fmtScore, casesWeeks, entityHref, downloadCsv, field, select, estimateMark, LEVEL_NAMES, LEVEL_NUMBER, ESTIMATE_MARK } from './ui.js';

const KINDS = [['port', 'Ports'], ['city', 'Cities'], ['country', 'Countries'], ['province', 'Provinces']];

async function rowsOf(kind, topo) {
  if (kind === 'port') {
    const ranks = await rankingMap('port');
    return topo.ports.map(p => {
      const r = ranks.get(p.id);
      const city = topo.cityById.get(p.city);
      return { id: p.id, name: p.name, kind: p.kind, province: city?.province, cityId: p.city, city: city?.name, faces: p.faces.join(' '), score: r?.score ?? null, level: r?.level || 'insufficient-data', trend: r?.trend || '', quality: r?.dataQuality || [] };
    });
  }
  if (kind === 'city') {
    const ranks = await rankingMap('city');
    return topo.cities.map(c => {
      const r = ranks.get(c.id);
      return { id: c.id, name: c.name, kind: 'city', province: c.province, cityId: c.id, city: c.name, faces: '', score: r?.score ?? null, level: r?.level || 'insufficient-data', trend: r?.trend || '', response: r?.responseLevel ?? null, quality: r?.dataQuality || [] };
    });
  }
  if (kind === 'country') {
    const ranks = await rankingMap('country');
    const known = new Map(topo.countries.map(c => [c.code, c]));
    for (const [code, r] of ranks) if (!known.has(code)) known.set(code, { code, name: r.name });
    return [...known.values()].map(c => {
      const r = ranks.get(c.code);
      return { id: c.code, name: c.name, kind: 'country', province: '', city: '', faces: '', score: r?.score ?? null, level: r?.level || 'insufficient-data', trend: r?.trend || '', growth: r?.cases7d != null && r?.casesPrevious7d != null ? { last: r.cases7d, previous: r.casesPrevious7d, through: r.casesThrough || null } : null, quality: r?.dataQuality || [] };
    });
  }
  // A province is as high as its highest city (that is where assistance goes first): the API's province ranking says
  // which city and carries its figures, the rule the CLI's `top provinces` reads too (never a copy of it here).
  const ranks = await rankingMap('province');
  return topo.provinces.map(p => {
    const r = ranks.get(p.id);
    const top = r?.highestCity ? topo.cityById.get(r.highestCity) : null;
    return { id: p.id, name: p.name, kind: 'province', province: p.id, cityId: r?.highestCity || '', city: top?.name || r?.highestCity || '', faces: '', score: r?.score ?? null, level: r?.level || 'insufficient-data', trend: r?.trend || '', quality: r?.dataQuality || [] };
  });
}

// A country's cases by their change, last week against the one before; a week after none ranks above every rise, and
// a country without both weeks below every one.
function growthOf(weeks) {
  if (!weeks) return -Infinity;
  return weeks.previous === 0 ? (weeks.last === 0 ? 0 : Infinity) : (weeks.last - weeks.previous) / weeks.previous;
}

export async function rankingsView() {
  const topo = await topology();
  const params = new URLSearchParams(location.search);
  const state = { kind: params.get('kind') || 'port', province: params.get('province') || '', level: params.get('level') || '', portKind: params.get('portKind') || '', sort: 'score', desc: true, rows: [] };

  const table = h('table', { class: 'grid ranking', 'aria-label': 'Ranking' });
  const status = h('p', { class: 'muted', role: 'status' });
  // [key, label, sortable, the kinds that show it]. Kind, province and city only where they tell rows apart: in the
  // city ranking "Kind" read "city" on every row and "City" repeated the name (newcomer 12), a country has neither,
  // and a province is its own province; a province's row names its highest city, the one that sets its score.
  const columns = [
    ['rank', '#', false], ['name', 'Name', true], ['kind', 'Kind', true, ['port']], ['province', 'Province', true, ['port', 'city']],
    ['city', 'City', true, ['port']], ['city', 'Highest city', true, ['province']],
    ['score', 'Score', true], ['level', 'Score band', true], ['trend', 'Trend', true],
    // Cities only: the level of the city's plan in force today (the API's responseLevel), which holds above the score
    // band until its dwell runs out; an analyst saw the band alone and could not tell which level's actions applied.
    ['response', 'Response level in force', true, ['city']],
    // Countries only: the cases' week-on-week growth beside the score's trend, which falls when growth slows while the
    // cases still grow (Russia "falling" at ×1.26 a week in the April 2020 replay, newcomer 19 L16).
    ['growth', 'Cases, last 7 days vs 7 before', true, ['country']],
  ];
  const columnsOf = () => columns.filter(([, , , kinds]) => !kinds || kinds.includes(state.kind));
  const cell = {
    rank: (r, i) => h('td', {}, String(i + 1)),
    name: r => h('td', {}, h('a', { href: entityHref(r.kind === 'province' ? 'province' : r.kind === 'country' ? 'country' : r.kind === 'city' ? 'city' : 'port', r.id), 'data-nav': true }, r.name)),
    kind: r => h('td', {}, r.kind),
    province: r => h('td', {}, topo.provinceById.get(r.province)?.name || r.province || ''),
    city: r => h('td', {}, r.city || ''),
    // The figure in a span of its own, then "est." when the score rests on estimates or defaults (a fixed slot, so the
    // figures stay aligned whether or not a row has the mark).
    score: r => h('td', { class: 'num', 'data-quality': r.quality.join(' ') }, h('span', { class: 'score-figure' }, fmtScore(r.score)), h('span', { class: 'est-slot' }, estimateMark(r.quality, r.score))),
    level: r => h('td', {}, levelBadge(r.level)),
    trend: r => h('td', {}, r.trend),
    response: r => h('td', { 'data-response-level': r.response ?? '' }, responseBadge(r.response)),
    // A country whose last case report is older than today reads the weeks to that report: the day is said, or its
    // week would read as this one (newcomer 22: Myanmar's week to 20 April on a ranking of 30 April).
    growth: r => h('td', { class: 'num', 'data-cases-through': r.growth?.through || null }, casesWeeks(r.growth?.last, r.growth?.previous),
      r.growth?.through ? h('span', { class: 'cases-through', title: 'Its last case report is older than today: its two weeks end on that report’s day.' }, ` to ${r.growth.through}`) : null),
  };

  function visible() {
    return state.rows.filter(r =>
      (!state.province || r.province === state.province)
      && (!state.level || r.level === state.level)
      && (!state.portKind || r.kind === state.portKind));
  }

  function sorted(rows) {
    const key = state.sort;
    const value = r => (key === 'level' ? LEVEL_NUMBER[r.level] ?? -1 : key === 'score' ? r.score ?? -1 : key === 'response' ? r.response ?? -1 : key === 'growth' ? growthOf(r.growth) : (r[key] || '').toString().toLowerCase());
    // Ties (equal scores, the insufficient-data block) stay by id ascending in either direction, as the API and
    // `riskmesh top` list them: reversing them with the column read Xunke, Tongjiang, Shiwei … (try-out 6 F18).
    const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    return [...rows].sort((a, b) => {
      const x = value(a); const y = value(b);
      const c = x < y ? -1 : x > y ? 1 : 0;
      return (state.desc ? -c : c) || byId(a, b);
    });
  }

  function draw() {
    const rows = sorted(visible());
    // Each cell is classed by its column (col-score …): the phone layout hides columns by name, whichever a kind shows.
    const head = h('tr', {}, columnsOf().map(([key, label, sortable]) => h('th', { scope: 'col', class: `col-${key}`, 'aria-sort': state.sort === key ? (state.desc ? 'descending' : 'ascending') : null },
      sortable ? h('button', { type: 'button', class: 'sort', onclick: () => { state.desc = state.sort === key ? !state.desc : key === 'score' || key === 'level' || key === 'response' || key === 'growth'; state.sort = key; draw(); } },
        label, state.sort === key ? (state.desc ? ' ▼' : ' ▲') : '') : label)));
    const shown = columnsOf();
    const body = rows.map((r, i) => h('tr', { 'data-id': r.id }, shown.map(([key]) => {
      const td = cell[key](r, i);
      td.classList.add(`col-${key}`);
      return td;
    })));
    table.replaceChildren(h('thead', {}, head), h('tbody', {}, body));
    const marked = rows.filter(r => r.score !== null && r.quality.length).length;
    status.textContent = `${rows.length} of ${state.rows.length} ${KINDS.find(k => k[0] === state.kind)[1].toLowerCase()}`
      + (marked ? `; ${marked} of the scores rest on estimates (${ESTIMATE_MARK})` : '');
    const q = new URLSearchParams({ kind: state.kind });
    if (state.province) q.set('province', state.province);
    if (state.level) q.set('level', state.level);
    if (state.portKind) q.set('portKind', state.portKind);
    history.replaceState(null, '', `/rankings?${q}`);
  }

  async function load() {
    state.rows = await rowsOf(state.kind, topo);
    portKind.disabled = state.kind !== 'port';
    if (state.kind !== 'port') state.portKind = '';
    draw();
  }

  const kind = select(KINDS, state.kind, { onchange: async e => {
    state.kind = e.target.value;
    // A sort by a column this kind does not show (ports by Kind, then Cities) would order rows by nothing visible.
    if (!columnsOf().some(([key]) => key === state.sort)) { state.sort = 'score'; state.desc = true; }
    await load();
  } });
  const province = select([['', 'All provinces'], ...topo.provinces.map(p => [p.id, p.name])], state.province, { onchange: e => { state.province = e.target.value; draw(); } });
  const level = select([['', 'All score bands'], ...Object.entries(LEVEL_NAMES)], state.level, { onchange: e => { state.level = e.target.value; draw(); } });
  const portKind = select([['', 'All kinds'], ...['road', 'rail', 'river', 'air', 'sea'].map(k => [k, k])], state.portKind, { onchange: e => { state.portKind = e.target.value; draw(); } });
  const csv = h('button', { type: 'button', onclick: () => {
    const rows = sorted(visible());
    // Province and city each by id (to join with the API) and by name (to read), the same way for both.
    const provinceName = id => topo.provinceById.get(id)?.name || '';
    const cities = state.kind === 'city';
    const countries = state.kind === 'country';
    // data_quality: the API's codes, space-separated ("no-recent-report estimated"), empty for a score on reports.
    downloadCsv(`riskmesh-${state.kind}-ranking.csv`, ['rank', 'id', 'name', 'kind', 'province', 'province_name', 'city', 'city_name', 'score', 'level', 'trend', ...(cities ? ['response_level'] : []), ...(countries ? ['cases_7d', 'cases_previous_7d', 'cases_through'] : []), 'data_quality'],
      rows.map((r, i) => [i + 1, r.id, r.name, r.kind, r.province || '', provinceName(r.province), r.cityId || '', r.cityId ? topo.cityById.get(r.cityId)?.name || '' : '', r.score ?? '', r.level, r.trend, ...(cities ? [r.response ?? ''] : []), ...(countries ? [r.growth?.last ?? '', r.growth?.previous ?? '', r.growth?.through ?? ''] : []), r.quality.join(' ')]));
  } }, 'Export CSV');

  // What the mark means, once above the table; each mark's tooltip names what its score rests on.
  const legend = h('p', { class: 'legend est-legend muted' }, h('abbr', { class: 'est' }, ESTIMATE_MARK),
    ' beside a score: it rests on estimates or defaults, not on the entity’s own reports (no recent report, traffic estimated, capacity never reported); point at the mark for which.');

  await load();
  const element = h('section', {},
    h('h1', {}, 'Rankings'),
    h('form', { class: 'filters', onsubmit: e => e.preventDefault() },
      field('Entities', kind), field('Province', province), field('Score band', level), field('Port kind', portKind), h('div', { class: 'field end' }, csv)),
    status, legend, h('div', { class: 'table-wrap' }, table));
  return { element, title: 'Rankings' };
}
