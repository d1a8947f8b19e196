// Admins' keys: create one with a role and cities (the key is shown once), list, revoke.
import { api, topology } from './api.js';
import { h, field, select, errorBox, stamp } from './ui.js';

const ROLES = ['analyst', 'responder', 'operator', 'feed', 'admin'];

export async function keysView() {
  const topo = await topology();
  const list = h('tbody', {});
  const shown = h('div', { 'aria-live': 'polite' });
  async function load() {
    const keys = await api('/keys');
    list.replaceChildren(...keys.map(k => h('tr', { 'data-key': k.id },
      h('td', {}, h('code', {}, k.id)), h('td', {}, k.role), h('td', {}, k.cities.join(', ')), h('td', {}, k.label),
      h('td', {}, stamp(k.createdAt)), h('td', {}, k.revoked ? 'revoked' : 'active'),
      h('td', {}, k.revoked ? '' : h('button', { type: 'button', class: 'danger', 'aria-label': `Revoke key ${k.id}`, onclick: async () => {
        if (!confirm(`Revoke key ${k.id}? Programs and sessions using it stop at once.`)) return;
        try { await api(`/keys/${encodeURIComponent(k.id)}`, { method: 'DELETE' }); await load(); } catch (err) { shown.replaceChildren(errorBox(err)); }
      } }, 'Revoke')))));
  }
  const role = select(ROLES.map(r => [r, r]), 'analyst');
  const cities = h('select', { multiple: true, size: 6 }, topo.cities.map(c => h('option', { value: c.id }, c.name)));
  const label = h('input', { type: 'text', maxlength: 100 });
  const form = h('form', { class: 'filters', onsubmit: async e => {
    e.preventDefault();
    shown.replaceChildren();
    try {
      const created = await api('/keys', { method: 'POST', body: { role: role.value, cities: role.value === 'responder' ? [...cities.selectedOptions].map(o => o.value) : [], label: label.value || null } });
      shown.replaceChildren(h('div', { class: 'once' }, h('p', {}, h('strong', {}, 'Copy this key now: it is shown once.')), h('code', { class: 'key' }, created.key)));
      await load();
    } catch (err) { shown.replaceChildren(errorBox(err)); }
  } }, field('Role', role), field('Cities (responders)', cities, 'Ctrl/⌘-click to choose several'), field('Label', label), h('div', { class: 'field end' }, h('button', { type: 'submit' }, 'Create key')));
  await load();
  const element = h('section', {}, h('h1', {}, 'API keys'), form, shown,
    h('div', { class: 'table-wrap' }, h('table', { class: 'grid keys' },
      h('thead', {}, h('tr', {}, ['Id', 'Role', 'Cities', 'Label', 'Created', 'State', ''].map(t => h('th', { scope: 'col' }, t)))), list)));
  return { element, title: 'Keys' };
}
