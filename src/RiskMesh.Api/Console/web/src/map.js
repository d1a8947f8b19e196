// The border map: Natural Earth country shapes (world-atlas, cut at build time), every port and city of the
// topology at its coordinates coloured by score band, neighbours shaded by RiskMesh score band or a reference classification.
import { geoConicEqualArea, geoPath } from 'd3-geo';
import { api, topology, rankingMap } from './api.js';
import { h, levelBadge, fmt, fmtScore, entityHref, LEVEL_NAMES, LEVEL_NUMBER } from './ui.js';
import { navigate } from './app.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 960;
const HEIGHT = 640;

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, v);
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

const MODES = {
  level: {
    label: 'RiskMesh score band',
    classOf: (code, data) => `lvl-${data.countries.get(code)?.level || 'insufficient-data'}`,
    legend: [['lvl-low', 'Low'], ['lvl-moderate', 'Moderate'], ['lvl-high', 'High'], ['lvl-very-high', 'Very high'], ['lvl-insufficient-data', 'Insufficient data']],
  },
  ecdc: {
    label: 'ECDC combined indicator',
    classOf: (code, data) => `ecdc-${data.classifications.get(code)?.ecdc || 'grey'}`,
    legend: [['ecdc-green', 'Green'], ['ecdc-orange', 'Orange'], ['ecdc-red', 'Red'], ['ecdc-grey', 'Grey (not enough data)']],
  },
  cdc: {
    label: 'CDC travel notice',
    classOf: (code, data) => `cdc-${data.classifications.get(code)?.cdcThn || 'unknown'}`,
    legend: [['cdc-level-1', 'Level 1'], ['cdc-level-2', 'Level 2'], ['cdc-level-3', 'Level 3'], ['cdc-level-4', 'Level 4'], ['cdc-unknown', 'Unknown']],
  },
};

export async function mapView() {
  const [topo, ports, cities, countries, geo, clock] = await Promise.all([
    topology(), rankingMap('port'), rankingMap('city'), rankingMap('country'),
    fetch('/console/geo.json', { credentials: 'same-origin' }).then(r => r.json()),
    api('/clock'),
  ]);
  const data = { ports, cities, countries, classifications: new Map() };
  const neighbours = new Set(topo.countries.map(c => c.code));

  const china = geo.features.find(f => f.id === 'CN');
  const projection = geoConicEqualArea().parallels([25, 47]).rotate([-105, 0]).fitExtent([[10, 10], [WIDTH - 10, HEIGHT - 10]], china);
  const path = geoPath(projection);

  const tip = h('div', { class: 'tip', role: 'status', hidden: true });
  const svg = s('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'map', role: 'group', 'aria-label': 'Map of China\'s land borders: ports, cities and neighbouring countries by level' });
  const shapes = s('g', { class: 'countries' });
  svg.append(shapes);

  function show(event, lines) {
    tip.replaceChildren(...lines.map((l, i) => (i === 0 ? h('strong', {}, l) : h('div', {}, l))));
    tip.hidden = false;
    const box = svg.getBoundingClientRect();
    const x = event.clientX ?? (event.target.getBoundingClientRect().x + 8);
    const y = event.clientY ?? (event.target.getBoundingClientRect().y + 8);
    tip.style.left = `${Math.min(x - box.left + 12, box.width - 220)}px`;
    tip.style.top = `${y - box.top + 12}px`;
  }
  const hide = () => { tip.hidden = true; };

  function entity(kind, id, name, row, extra = []) {
    return [name, `${kind} · score ${fmtScore(row?.score)} · ${LEVEL_NAMES[row?.level] || 'Insufficient data'}`, ...extra];
  }

  function interactive(el, href, lines) {
    el.setAttribute('href', href);
    el.setAttribute('tabindex', '0');
    el.setAttribute('aria-label', lines.join(', '));
    el.addEventListener('mouseenter', e => show(e, lines));
    el.addEventListener('mousemove', e => show(e, lines));
    el.addEventListener('mouseleave', hide);
    el.addEventListener('focus', e => show(e, lines));
    el.addEventListener('blur', hide);
    el.addEventListener('click', e => { e.preventDefault(); navigate(href); });
    return el;
  }

  const countryShapes = [];
  for (const f of geo.features) {
    const d = path(f);
    if (!d) continue;
    if (f.id === 'CN') {
      shapes.append(s('path', { d, class: 'china' }));
    } else if (neighbours.has(f.id)) {
      const p = s('path', { d, class: 'country' });
      const a = interactive(s('a', { class: 'country-link', dataset: null }), entityHref('country', f.id), entity('country', f.id, topo.countryByCode.get(f.id)?.name || f.properties.name, countries.get(f.id)));
      a.dataset.code = f.id;
      a.append(p);
      shapes.append(a);
      countryShapes.push({ code: f.id, path: p, anchor: a });
    } else {
      shapes.append(s('path', { d, class: 'other' }));
    }
  }

  // Several marks share a point (a city and its crossings, a road and a railway port at one town); drawn in topology
  // order, a lower level would cover a higher one and the map would hide exactly the riskiest. So marks are drawn by
  // level then score, the highest last, that is on top; the counts beside the map then match the colours one sees.
  const marks = s('g', { class: 'marks' });
  svg.append(marks);
  const drawn = [];
  for (const c of topo.cities) {
    if (c.lat === undefined || c.lon === undefined) continue;
    const [x, y] = projection([c.lon, c.lat]);
    const row = cities.get(c.id);
    const a = interactive(s('a', { class: 'city-mark', 'data-city': c.id }), entityHref('city', c.id),
      entity('city', c.id, c.name, row, [topo.provinceById.get(c.province)?.name || c.province]));
    a.append(s('rect', { x: x - 5, y: y - 5, width: 10, height: 10, class: `lvl-${row?.level || 'insufficient-data'}` }));
    drawn.push({ a, row });
  }
  for (const p of topo.ports) {
    if (p.lat === undefined || p.lon === undefined) continue;
    const [x, y] = projection([p.lon, p.lat]);
    const row = ports.get(p.id);
    const a = interactive(s('a', { class: 'port-mark', 'data-port': p.id }), entityHref('port', p.id),
      entity('port', p.id, p.name, row, [`${p.kind} · faces ${p.faces.map(c => topo.countryByCode.get(c)?.name || c).join(', ')}`]));
    a.append(s('circle', { cx: x, cy: y, r: 4.5, class: `lvl-${row?.level || 'insufficient-data'}` }));
    drawn.push({ a, row });
  }
  const rank = m => [LEVEL_NUMBER[m.row?.level] || 0, m.row?.score ?? -1];
  drawn.sort((m, n) => { const [l1, s1] = rank(m); const [l2, s2] = rank(n); return l1 - l2 || s1 - s2; });
  marks.append(...drawn.map(m => m.a));

  const legend = h('ul', { class: 'legend', 'aria-label': 'Legend' });
  function paint(mode) {
    const m = MODES[mode];
    for (const c of countryShapes) {
      c.path.setAttribute('class', `country ${m.classOf(c.code, data)}`);
      const cls = mode === 'level' ? LEVEL_NAMES[data.countries.get(c.code)?.level] || 'Insufficient data'
        : mode === 'ecdc' ? `ECDC ${data.classifications.get(c.code)?.ecdc || 'grey'}` : `CDC ${data.classifications.get(c.code)?.cdcThn || 'unknown'}`;
      const name = topo.countryByCode.get(c.code)?.name || c.code;
      const lines = [name, `country · score ${fmtScore(data.countries.get(c.code)?.score)} · ${cls}`];
      c.anchor.setAttribute('aria-label', lines.join(', '));
      c.anchor.onmouseenter = c.anchor.onmousemove = e => show(e, lines);
    }
    legend.replaceChildren(h('li', {}, h('strong', {}, `Countries: ${m.label}`)),
      ...m.legend.map(([cls, text]) => h('li', {}, h('span', { class: `swatch ${cls}` }), text)),
      h('li', {}, h('strong', {}, 'Ports ● and cities ■: RiskMesh score band')),
      h('li', { class: 'muted' }, 'Where marks share a place, the highest band is drawn on top.'));
  }

  async function loadClassifications() {
    if (data.classifications.size) return;
    const views = await Promise.all([...neighbours].map(code => api(`/countries/${code}`).catch(() => null)));
    for (const v of views) if (v?.classifications) data.classifications.set(v.id, v.classifications);
  }

  const modeBox = h('fieldset', { class: 'modes' }, h('legend', {}, 'Shade neighbours by'),
    Object.entries(MODES).map(([key, m]) => h('label', {},
      h('input', { type: 'radio', name: 'mode', value: key, checked: key === 'level', onchange: async e => { if (key !== 'level') await loadClassifications(); paint(e.target.value); } }), ' ', m.label)));
  paint('level');

  const top = [...ports.values()].filter(r => r.score !== null).slice(0, 8);
  const counts = {};
  for (const p of topo.ports) { const l = ports.get(p.id)?.level || 'insufficient-data'; counts[l] = (counts[l] || 0) + 1; }

  const element = h('section', { class: 'home' },
    h('div', { class: 'title-row' }, h('h1', {}, 'Border risk map'), h('p', { class: 'muted' }, `As of ${clock.date} (${clock.mode} clock) · ${topo.ports.length} ports, ${topo.cities.length} cities`)),
    h('div', { class: 'map-layout' },
      h('div', { class: 'map-wrap' }, svg, tip),
      h('aside', { class: 'side' }, modeBox, legend,
        h('h2', {}, 'Ports by score band'),
        h('ul', { class: 'counts' }, Object.keys(LEVEL_NAMES).map(l => h('li', {}, levelBadge(l), ' ', String(counts[l] || 0)))),
        h('h2', {}, 'Highest ports'),
        // Name, band and score in three columns: a long name wraps within its own, never pushing the badge or the
        // score onto a line of their own (newcomer 11: the list's badges wrapped).
        h('ol', { class: 'top-ports' }, top.map(r => h('li', {}, h('a', { href: entityHref('port', r.id), 'data-nav': true }, r.name), levelBadge(r.level), h('span', { class: 'score' }, fmtScore(r.score))))))));
  return { element, title: 'Map' };
}
