// The console's shell: who is signed in, the navigation for that role, and a router over the page addresses
// that RiskMesh serves (each answers the same page; this script shows the view the path names).
import 'uplot/dist/uPlot.min.css';
import './app.css';
import { me, api, ApiError } from './api.js';
import { h, errorBox } from './ui.js';
import { mapView } from './map.js';
import { rankingsView } from './rankings.js';
import { entityView } from './entity.js';
import { noticesView, noticeView, allNoticesView } from './notices.js';
import { plansView, webhooksView, clockView, assistanceView } from './ops.js';
import { keysView } from './keys.js';

const READERS = ['analyst', 'operator', 'admin'];
const OPERATORS = ['operator', 'admin'];

const routes = [
  { path: /^\/$/, view: (_, who) => (READERS.includes(who.role) ? mapView() : noticesView(who)) },
  { path: /^\/rankings$/, view: () => rankingsView(), roles: READERS },
  { path: /^\/entities\/(country|port|city|province)\/([^/]+)$/, view: (m, who) => entityView(m[1], decodeURIComponent(m[2]), who) },
  // Analysts, operators and admins read every city's notices in a period, read-only (the README's role table: an
  // operator sees everything an analyst does; newcomer 17 F2); a response team has its inbox there. A city's inbox,
  // live and acknowledged as its team would, is /notices/{city}, for its team and for operators.
  { path: /^\/notices$/, view: (_, who) => (READERS.includes(who.role) ? allNoticesView(who) : noticesView(who)), roles: ['responder', ...READERS] },
  { path: /^\/notices\/([^/]+)$/, view: (m, who) => noticesView(who, decodeURIComponent(m[1])), roles: ['responder', ...OPERATORS] },
  { path: /^\/notices\/([^/]+)\/([^/]+)$/, view: (m, who) => noticeView(decodeURIComponent(m[1]), decodeURIComponent(m[2]), who), roles: ['responder', ...OPERATORS] },
  { path: /^\/plans$/, view: () => plansView(), roles: OPERATORS },
  // A response team manages its own cities' webhooks here too (the page offers only those): the test message links here.
  { path: /^\/webhooks$/, view: (_, who) => webhooksView(who), roles: ['responder', ...OPERATORS] },
  { path: /^\/clock$/, view: () => clockView(), roles: OPERATORS },
  { path: /^\/assistance$/, view: () => assistanceView(), roles: READERS },
  { path: /^\/keys$/, view: () => keysView(), roles: ['admin'] },
];

function navItems(who) {
  const items = [];
  if (READERS.includes(who.role)) items.push(['/', 'Map'], ['/rankings', 'Rankings'], ['/assistance', 'Assistance']);
  if (['responder', 'analyst', ...OPERATORS].includes(who.role)) items.push(['/notices', 'Notices']);
  // A response team reads its own cities' pages (view, history, plan), and no other.
  if (who.role === 'responder') items.push(...(who.cities || []).map(c => [`/entities/city/${encodeURIComponent(c)}`, who.cityNames?.[c] || c]), ['/webhooks', 'Webhooks']);
  if (OPERATORS.includes(who.role)) items.push(['/plans', 'Plans'], ['/webhooks', 'Webhooks'], ['/clock', 'Clock']);
  if (who.role === 'admin') items.push(['/keys', 'Keys']);
  return items;
}

let current = { dispose: null };
// Which render is the latest: a view that finishes loading after the person went elsewhere (a later render began) is
// disposed at once, never shown and never started; kept, its streams and its 10 s poll ran for the page's life
// (review 18 L5).
let generation = 0;

async function render(who) {
  const main = document.getElementById('main');
  const mine = ++generation;
  current.dispose?.();
  current = { dispose: null };
  for (const a of document.querySelectorAll('#nav a')) {
    const here = a.getAttribute('href') === location.pathname;
    a.toggleAttribute('aria-current', here);
    if (here) a.setAttribute('aria-current', 'page');
  }
  const route = routes.map(r => ({ r, m: location.pathname.match(r.path) })).find(x => x.m);
  if (!route) {
    main.replaceChildren(h('h1', {}, 'Not found'), h('p', {}, 'The console has no page at ', h('code', {}, location.pathname), '.'));
    return;
  }
  if (route.r.roles && !route.r.roles.includes(who.role)) {
    main.replaceChildren(h('h1', {}, 'Not for this key'), h('p', { role: 'alert' }, `${/^[aeiou]/.test(who.role) ? 'An' : 'A'} ${who.role} key may not open this page.`));
    return;
  }
  try {
    const view = await route.r.view(route.m, who);
    if (mine !== generation) {
      view.dispose?.();
      return;
    }
    current = view;
    main.replaceChildren(view.element);
    document.title = `${view.title} · RiskMesh`;
    view.ready?.();
  } catch (error) {
    if (mine !== generation) return;
    main.replaceChildren(errorBox(error instanceof ApiError ? error : new ApiError(0, { title: 'The page failed', detail: String(error?.message || error) })));
  }
  document.body.dataset.readyMs ??= String(Math.round(performance.now()));
  document.body.dataset.ready = location.pathname;
}

export function navigate(href) {
  history.pushState(null, '', href);
  window.scrollTo(0, 0);
  document.getElementById('main').focus({ preventScroll: true });
  return start.render();
}

const start = {};

async function main() {
  const who = await me();
  document.getElementById('who').replaceChildren(h('span', {},
    h('span', { class: 'role' }, who.role), ' ',
    // The key's label first ("Suifenhe response team"), as acknowledgements name it; the id beside it.
    who.label ? [h('span', { class: 'key-label' }, who.label), ' '] : null,
    h('code', { title: 'key id' }, who.keyId), ' ',
    who.dashboard ? h('a', { href: who.dashboard, class: 'ext' }, 'Orleans dashboard') : null),
    h('form', { method: 'post', action: '/signout' }, h('button', { type: 'submit', class: 'link' }, 'Sign out')));
  if (who.role === 'responder') {
    // The nav names a team's cities as people do ("Suifenhe"), not by their keys; one after another, as the page does.
    who.cityNames = {};
    for (const c of who.cities || []) {
      try { who.cityNames[c] = (await api(`/cities/${encodeURIComponent(c)}`)).name; } catch { who.cityNames[c] = c; }
    }
  }
  document.getElementById('nav').replaceChildren(h('ul', {}, navItems(who).map(([href, text]) => h('li', {}, h('a', { href, 'data-nav': true }, text)))));
  start.render = () => render(who);
  document.addEventListener('click', event => {
    const a = event.target.closest('a[data-nav]');
    if (!a || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(a.getAttribute('href'));
  });
  window.addEventListener('popstate', () => start.render());
  await render(who);
}

main().catch(error => {
  document.getElementById('main').replaceChildren(errorBox(error));
});
