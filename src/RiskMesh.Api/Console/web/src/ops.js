// Operators' pages: the plan editor (each problem shown next to its field), webhooks with a test send (also a response
// team's, for its own cities),
// the replay clock, and assistance rankings per province and for the nation.
import { api, topology } from './api.js';
import { h, field, select, errorBox, fmt, dayProblem, isoDay, link, entityHref, askFirst, stamp } from './ui.js';
import { assistanceTable } from './entity.js';
import { summary, noticeHref } from './notices.js';

const PLAN_FIELDS = ['name', 'enterAt', 'exitBelow', 'dwellDays', 'actions'];
const PLAN_LABELS = { name: 'Name', enterAt: 'Enter at score', exitBelow: 'Leave below score', dwellDays: 'Dwell days before stepping down', actions: 'Actions (one per line)' };

/**
 * A server problem in the form's own words: the API names fields as JSON does ("exitBelow (60) must be … below enterAt
 * (50)"), which read oddly under a field labelled "Leave below score"; the labels replace them, quoted ("name" and
 * "actions" are words already).
 */
function inFormWords(problem) {
  return ['enterAt', 'exitBelow', 'dwellDays'].reduce((text, f) => text.replace(new RegExp(`\\b${f}\\b`, 'g'), `“${PLAN_LABELS[f]}”`), problem)
    .replace(/^./, c => c.toUpperCase());
}

function cityPicker(cities, value, onchange) {
  return field('City', select(cities.map(c => [c.id, `${c.name} (${c.id})`]), value, { onchange: e => onchange(e.target.value) }));
}

/** Puts each server problem next to the field it names ("level 3: enterAt …"); the rest go to the form's summary. */
function placeProblems(problems, slots, summary, order) {
  const general = [];
  for (const problem of problems) {
    // "levels[1].enterAt: …" names the sent level by its place in the list; the others name it by number.
    const byIndex = /^levels\[(\d+)\]/.exec(problem)?.[1];
    const level = byIndex !== undefined ? order[Number(byIndex)] : /^level (\d)\b/.exec(problem)?.[1] ?? /level (\d) (enterAt|exitBelow)/.exec(problem)?.[1];
    // The field named first after the level is the one at fault ("level 3: exitBelow (…) must be … below enterAt (…)").
    const name = PLAN_FIELDS.map(f => [f, problem.search(new RegExp(`\\b${f}\\b`))]).filter(([, i]) => i >= 0).sort((a, b) => a[1] - b[1])[0]?.[0];
    const slot = level && name ? slots.get(`${level}.${name}`) : null;
    if (slot) {
      slot.error.append(h('span', {}, inFormWords(problem)));
      slot.control.setAttribute('aria-invalid', 'true');
    } else {
      general.push(inFormWords(problem));
    }
  }
  summary.replaceChildren(...(problems.length ? [h('p', {}, h('strong', {}, 'The plan was not saved; the old plan stays in force.')), h('ul', {}, general.map(p => h('li', {}, p)))] : []));
}

export async function plansView() {
  const topo = await topology();
  const element = h('section', { class: 'plans' }, h('h1', {}, 'Response plans'));
  const holder = h('div', {});
  let city = new URLSearchParams(location.search).get('city') || topo.cities[0].id;

  async function load() {
    const plan = await api(`/cities/${encodeURIComponent(city)}/plan`);
    const slots = new Map();
    const summary = h('div', { class: 'form-errors', role: 'alert' });
    const status = h('p', { role: 'status', class: 'saved' });
    const levels = plan.levels.map(l => {
      const controls = {
        name: h('input', { type: 'text', value: l.name, name: `level${l.level}.name` }),
        enterAt: h('input', { type: 'number', step: 'any', value: l.enterAt, name: `level${l.level}.enterAt` }),
        exitBelow: h('input', { type: 'number', step: 'any', value: l.exitBelow, name: `level${l.level}.exitBelow` }),
        dwellDays: h('input', { type: 'number', step: '1', value: l.dwellDays, name: `level${l.level}.dwellDays` }),
        actions: h('textarea', { rows: 4, name: `level${l.level}.actions` }, l.actions.join('\n')),
      };
      const box = h('fieldset', { class: 'plan-level' }, h('legend', {}, `Level ${l.level}`),
        PLAN_FIELDS.map(f => {
          const error = h('div', { class: 'field-error', id: `err-${l.level}-${f}` });
          controls[f].setAttribute('aria-describedby', error.id);
          slots.set(`${l.level}.${f}`, { control: controls[f], error });
          const wrapper = field(PLAN_LABELS[f], controls[f]);
          wrapper.append(error);
          return wrapper;
        }));
      return { level: l.level, controls, box };
    });
    // Whether a level's actions add to the lower levels' (the default: notices list those as still in force) or replace
    // them. Sent with every save: a plan saved here without it would quietly accumulate again.
    const standAlone = h('input', { type: 'checkbox', name: 'levelsStandAlone' });
    standAlone.checked = Boolean(plan.levelsStandAlone);
    const accumulation = h('label', { class: 'plan-stand-alone' }, standAlone,
      ' Each level’s actions replace the lower levels’ (levels stand alone). Unticked, a level keeps the lower levels’ actions in force beside its own, and its notices list them.');
    const form = h('form', { class: 'plan-form', novalidate: true, onsubmit: async e => {
      e.preventDefault();
      for (const slot of slots.values()) { slot.error.replaceChildren(); slot.control.removeAttribute('aria-invalid'); }
      status.textContent = '';
      const body = { levelsStandAlone: standAlone.checked, levels: levels.map(l => ({
        level: l.level,
        name: l.controls.name.value,
        enterAt: Number(l.controls.enterAt.value),
        exitBelow: Number(l.controls.exitBelow.value),
        dwellDays: Number(l.controls.dwellDays.value),
        actions: l.controls.actions.value.split('\n').map(a => a.trim()).filter(Boolean),
      })) };
      try {
        await api(`/cities/${encodeURIComponent(city)}/plan`, { method: 'PUT', body });
        summary.replaceChildren();
        status.textContent = `Saved: the new plan for ${city} is in force.`;
      } catch (err) {
        if (err.status === 400 && Array.isArray(err.problem.problems)) placeProblems(err.problem.problems, slots, summary, levels.map(l => l.level));
        else summary.replaceChildren(errorBox(err));
        [...slots.values()].find(s => s.control.getAttribute('aria-invalid'))?.control.focus();
      }
    } }, summary, accumulation, levels.map(l => l.box), h('button', { type: 'submit' }, 'Save plan'), status);
    holder.replaceChildren(h('p', { class: 'muted' }, plan.isDefault ? 'This city follows the default plan.' : 'This city has its own plan.'), form);
  }

  element.append(h('form', { class: 'filters', onsubmit: e => e.preventDefault() }, cityPicker(topo.cities, city, async v => { city = v; history.replaceState(null, '', `/plans?city=${v}`); await load(); })), holder);
  await load();
  return { element, title: 'Plans' };
}

/**
 * Another city's webhooks page, for a response team: said plainly, with the way to its own, and nothing read (the API
 * would answer 403). A team's IT person follows the test message's link, or edits the address, to another city's page.
 */
function notYourWebhooks(asked, mine, topo) {
  const named = id => `${topo.cityById.get(id)?.name || id} (${id})`;
  return {
    element: h('section', {}, h('h1', {}, 'Webhooks'),
      h('p', { role: 'alert', class: 'error' }, `The webhooks of ${named(asked)} are not this key's to manage: it is a responder key for ${mine.map(c => named(c.id)).join(', ')}.`),
      h('p', {}, 'Your cities’ webhooks: ', mine.map((c, i) => [i ? ', ' : '', link(`/webhooks?city=${encodeURIComponent(c.id)}`, c.name)]))),
    title: 'Webhooks',
  };
}

/**
 * How delivery of real notices to a saved webhook goes, as the API says it (newcomer 22a, L3: a receiver answering 401
 * was retried for ever and only the operators' log said so): failing since when, how many notices wait, when the oldest
 * is tried next; what the receiver answered for operators only (the API gives a response team no more). Null for a
 * webhook not saved yet.
 */
function deliveryLine(d) {
  if (!d) return null;
  const waiting = d.pending === 1 ? '1 notice waits' : `${fmt(d.pending, 0)} notices wait`;
  if (d.state === 'failing') {
    return h('p', { class: 'delivery failing', role: 'alert', 'data-delivery': d.state },
      h('strong', {}, `Notices are not reaching this webhook since ${stamp(d.failingSince)}`),
      `: ${waiting} (the oldest, ${d.oldestPending || '—'}, tried ${d.attempts} ${d.attempts === 1 ? 'time' : 'times'}; next try ${d.nextAttemptAt ? stamp(d.nextAttemptAt) : 'soon'}). `
      + (d.lastError ? `It ${d.lastError}. ` : 'It did not answer 2xx: check that the receiver runs and checks the secret saved here. ')
      + (d.lastDeliveredAt ? `Last delivered ${stamp(d.lastDeliveredAt)}.` : 'Nothing delivered to it yet.'));
  }
  if (d.state === 'not-tried') {
    return h('p', { class: 'delivery muted', 'data-delivery': d.state }, 'No notice has been sent to it yet (a test send does not count).');
  }
  return h('p', { class: 'delivery ok', 'data-delivery': d.state },
    `Delivering: last notice taken ${stamp(d.lastDeliveredAt)}` + (d.pending ? `; ${waiting} to be sent.` : '.'));
}

export async function webhooksView(who) {
  const topo = await topology();
  // A response team manages its own cities' webhooks (the API checks the same), so the picker lists only those;
  // operators and admins manage every city's.
  const mine = who.role === 'responder' ? topo.cities.filter(c => who.cities.includes(c.id)) : topo.cities;
  const asked = new URLSearchParams(location.search).get('city');
  if (who.role === 'responder' && asked && !mine.some(c => c.id === asked)) return notYourWebhooks(asked, mine, topo);
  const element = h('section', {}, h('h1', {}, 'Webhooks'),
    h('p', { class: 'muted' }, 'Each notice of the city is POSTed to these addresses, signed with X-RiskMesh-Signature (HMAC-SHA256 of the body with the secret), through a durable outbox.'));
  const holder = h('div', {});
  let city = asked || mine[0].id;

  async function load() {
    const hooks = await api(`/cities/${encodeURIComponent(city)}/webhooks`);
    const rows = h('div', { class: 'hooks' });
    const errors = h('div', { role: 'alert' });
    const status = h('p', { role: 'status', class: 'saved' });
    const results = h('ul', { class: 'test-results', 'aria-label': 'Test results' });
    // A saved webhook's secret comes back masked ("****5678"), and saving replaces the whole list with the secrets
    // sent: the mask left in the box was sent as the secret and refused ("must be at least 16 characters, got 8"), so
    // adding a second webhook failed for a reason the page never gave. The box starts empty and says so.
    const addRow = (url = '', masked = '', delivery = null) => {
      const row = h('fieldset', { class: 'hook', 'data-saved-secret': masked || null }, h('legend', {}, 'Webhook'),
        deliveryLine(delivery),
        field('URL', h('input', { type: 'url', name: 'url', value: url, required: true, size: 50 })),
        field('Secret', h('input', { type: 'password', name: 'secret', autocomplete: 'off' }),
          masked ? `The saved secret (${masked}) is never shown back. Saving replaces the whole list: type it again, or a new one.` : null),
        h('button', { type: 'button', class: 'link', onclick: () => row.remove() }, 'Remove'));
      rows.append(row);
    };
    hooks.forEach(w => addRow(w.url, w.secret, w.delivery));
    // Which city's list the form holds, once it is read (the picker changes before the list arrives).
    const form = h('form', { 'data-city': city, onsubmit: async e => {
      e.preventDefault();
      errors.replaceChildren(); status.textContent = '';
      const hookRows = [...rows.querySelectorAll('.hook')];
      const untyped = hookRows.filter(r => r.dataset.savedSecret && !r.querySelector('[name=secret]').value);
      for (const r of hookRows) {
        if (untyped.includes(r)) r.querySelector('[name=secret]').setAttribute('aria-invalid', 'true');
        else r.querySelector('[name=secret]').removeAttribute('aria-invalid');
      }
      if (untyped.length) {
        errors.replaceChildren(h('div', { class: 'error' }, h('strong', {}, 'Not saved; the old webhooks stay in force.'),
          ` Type the secret again for ${untyped.map(r => `${r.querySelector('[name=url]').value.trim()} (saved secret ${r.dataset.savedSecret})`).join(', ')}: `
          + 'RiskMesh never shows a saved secret back, and saving replaces the whole list.'));
        untyped[0].querySelector('[name=secret]').focus();
        return;
      }
      const body = hookRows.map(r => ({ url: r.querySelector('[name=url]').value.trim(), secret: r.querySelector('[name=secret]').value }));
      try {
        await api(`/cities/${encodeURIComponent(city)}/webhooks`, { method: 'PUT', body });
        status.textContent = `Saved ${body.length} ${body.length === 1 ? 'webhook' : 'webhooks'} for ${city}.`;
      } catch (err) { errors.replaceChildren(errorBox(err)); }
    } }, rows, h('div', { class: 'buttons' },
      h('button', { type: 'button', onclick: () => addRow() }, 'Add webhook'),
      h('button', { type: 'submit' }, 'Save webhooks'),
      h('button', { type: 'button', onclick: async () => {
        results.replaceChildren(h('li', {}, 'Sending…'));
        try {
          const sent = await api(`/cities/${encodeURIComponent(city)}/webhooks/test`, { method: 'POST' });
          results.replaceChildren(...(sent.length ? sent.map(r => h('li', { class: r.delivered ? 'ok' : 'fail' }, `${r.url}: ${r.delivered ? 'delivered' : 'failed'}${r.statusCode ? ` (HTTP ${r.statusCode})` : ''}${r.error ? ` — ${r.error}` : ''}`)) : [h('li', {}, 'No webhooks saved for this city.')]));
        } catch (err) { results.replaceChildren(h('li', {}, errorBox(err))); }
      } }, 'Send test')), errors, status, results);
    holder.replaceChildren(form);
  }

  element.append(h('form', { class: 'filters', onsubmit: e => e.preventDefault() }, cityPicker(mine, city, async v => { city = v; history.replaceState(null, '', `/webhooks?city=${v}`); await load(); })), holder);
  await load();
  return { element, title: 'Webhooks' };
}

// The days the server accepts for the clock (RiskMesh.Scoring's ClockRange): checked here too, so a typo such as
// 9999-12-31 is refused beside the box before the page asks to move the whole cluster's clock to it.
const CLOCK_FIRST = '1970-01-01';
const CLOCK_LAST = '2099-12-31';

/**
 * Asks before the clock moves: it is the cluster's one clock, not this page's view, so every city is evaluated again
 * and notices may go out to the inbox, watchers and webhooks.
 */
function confirmClockMove(target) {
  return askFirst({
    name: 'clock-confirm',
    title: target.live ? 'Return the whole cluster to live time?' : `Move the whole cluster's clock to ${target.date}?`,
    text: h('p', {}, `Every city is evaluated again for ${target.live ? 'today’s date' : target.date}, and notices may be issued: `
      + 'they go to the inbox, to everyone watching, and to the cities’ webhooks. Every user and program then sees RiskMesh as of that day.'),
    confirm: target.live ? 'Return to live time' : `Move the clock to ${target.date}`,
  });
}

/** What became of the evaluation when it did not simply complete, in words; null when it completed. */
function evaluationWords(changed, topo) {
  if (changed.evaluation === 'pending') {
    // 202: the cities were still to evaluate when the server answered, so "no notice" would be a guess.
    return `The clock moved to ${changed.date}. The cities are still being evaluated to that day (the server was busy, e.g. with a topology change); their notices will appear under Notices.`;
  }
  if (changed.evaluation !== 'failed') return null;
  const again = (them, their) => `The server evaluates ${them} again within a minute, and ${their} notices will appear under Notices; there is no need to set the clock again.`;
  if (changed.citiesFailed == null) return `The clock moved to ${changed.date}, but evaluating the cities to that day failed on the server (its log says why). ${again('them', 'their')}`;
  const names = (changed.failedCities || []).map(id => topo.cities.find(c => c.id === id)?.name || id);
  const more = changed.citiesFailed > names.length ? ', …' : '';
  const count = changed.citiesFailed === 1 ? '1 city' : `${fmt(changed.citiesFailed, 0)} cities`;
  return `The clock moved to ${changed.date}, but ${count} failed to evaluate to that day (${names.join(', ')}${more}); the others did. ${changed.citiesFailed === 1 ? again('it', 'its') : again('them', 'their')}`;
}

export async function clockView() {
  const [state, topo] = await Promise.all([api('/clock'), topology()]);
  const shown = h('p', { class: 'big', role: 'status' }, `${state.date} (${state.mode})`);
  // Text, not type=date: the browser's date box shows its locale's order (04/20/2020 in an American browser), which
  // reads as a different day elsewhere; the API and the CLI speak ISO dates, and so does this box.
  const date = h('input', { type: 'text', value: state.date, required: true, pattern: '\\d{4}-\\d{2}-\\d{2}', placeholder: 'YYYY-MM-DD', inputmode: 'numeric', autocomplete: 'off', size: 10, 'aria-describedby': 'clock-date-error' });
  const dateError = h('div', { class: 'field-error', id: 'clock-date-error', role: 'alert' });
  const result = h('div', { 'aria-live': 'polite' });
  async function set(body) {
    result.replaceChildren();
    if (!await confirmClockMove(body.mode === 'live' ? { live: true } : { date: body.date })) return;
    try {
      const changed = await api('/clock', { method: 'POST', body });
      shown.textContent = `${changed.date} (${changed.mode})`;
      date.value = changed.date;
      // The box now holds the clock's day; a complaint about what it held before no longer applies.
      dateError.textContent = ''; date.removeAttribute('aria-invalid');
      // The count is of this move's notices, not a total: "0 notice(s) issued up to …" read as none ever issued.
      const count = changed.notices.length;
      const words = evaluationWords(changed, topo);
      const issued = words && changed.evaluation === 'failed' && count > 0 ? `${words} The other cities issued ${count} ${count === 1 ? 'notice' : 'notices'}:`
        : words ?? (count === 0 ? `Moving the clock to ${changed.date} issued no notice.`
        : `Moving the clock to ${changed.date} issued ${count} ${count === 1 ? 'notice' : 'notices'}:`);
      result.replaceChildren(h('p', { class: 'clock-issued' }, issued),
        // Named as the inbox names them ("De-escalation · Suifenhe: level 4 (very high) → level 2 (heightened)"), each a link to its page; the ids
        // stay in the tooltip for whoever wants them.
        h('ul', { class: 'clock-notices' }, changed.notices.map(n => h('li', { 'data-city': n.city, 'data-notice': n.id },
          h('a', { href: noticeHref(n), 'data-nav': true, title: `${n.city} · ${n.id}` }, summary(n, topo)), ` (${n.date})`))));
    } catch (err) { result.replaceChildren(errorBox(err)); }
  }
  // The day a button would send, if the page finds nothing wrong with it; otherwise says what is wrong next to the box
  // (nothing is asked or sent) and answers null. "Next day" checks the day after the box's, which may leave the range.
  function checkedDay(days = 0) {
    const text = date.value.trim();
    let problem = dayProblem(text);
    const day = problem ? null : isoDay(text, days);
    // The day after 9999-12-31 has no four-digit year: the typed day is the one to name then.
    problem ??= dayProblem(/^\d{4}-/.test(day) ? day : text, { min: CLOCK_FIRST, max: CLOCK_LAST, range: `the clock can be set from ${CLOCK_FIRST} to ${CLOCK_LAST}` });
    dateError.textContent = problem ?? '';
    if (problem) date.setAttribute('aria-invalid', 'true'); else date.removeAttribute('aria-invalid');
    return problem ? null : day;
  }
  const element = h('section', {}, h('h1', {}, 'Replay clock'),
    h('p', { class: 'muted' }, 'In replay mode every score, level and notice is what RiskMesh would have said on that day. The clock is the whole cluster’s: moving it evaluates every city again, for every user.'), shown,
    h('form', { class: 'filters', novalidate: true, onsubmit: e => { e.preventDefault(); const day = checkedDay(); if (day) set({ date: day }); } },
      field('Date (YYYY-MM-DD)', date), h('div', { class: 'field end buttons' },
        h('button', { type: 'submit' }, 'Set date'),
        h('button', { type: 'button', onclick: () => { const day = checkedDay(1); if (day) set({ date: day }); } }, 'Next day'),
        h('button', { type: 'button', onclick: () => set({ mode: 'live' }) }, 'Back to live'))),
    dateError, result);
  return { element, title: 'Clock' };
}

/**
 * The cities with a national recommendation (an action of scope "national", as the API gives each one), in ranking
 * order, above the table: the ranking is by group, then need, so the only national expert team of April 2020 came
 * fifth in the "send" group, below four provincial kit dispatches, and a national coordinator read to the bottom of it
 * to find it (newcomer 19 L7). Nothing is worked out here but which actions are national.
 */
function nationalList(rows, where) {
  const cities = rows.map(r => ({ r, actions: r.recommendations.filter(a => a.scope === 'national') })).filter(c => c.actions.length);
  const title = h('h2', { id: 'national-actions-title' }, `National: expert teams and equipment${where ? ` in ${where}` : ''} (${cities.length})`);
  return h('section', { class: 'national-actions', 'aria-labelledby': title.id }, title,
    cities.length
      ? h('ul', {}, cities.map(({ r, actions }) => h('li', { 'data-city': r.cityId },
        link(entityHref('city', r.cityId), r.cityName), h('span', { class: 'muted' }, ` · ${r.provinceName || r.province} · #${r.rank} in the table below`), ': ',
        h('span', { class: 'action' }, actions.map(a => a.action).join('; ')),
        // The first national action's reason says why the city needs national help; the others go with it.
        actions[0].reason ? h('small', { class: 'reason' }, actions[0].reason) : null)))
      : h('p', { class: 'muted' }, `No city${where ? ` of ${where}` : ''} needs national assistance today.`));
}

export async function assistanceView() {
  const topo = await topology();
  const national = await api('/assistance?limit=100');
  const holder = h('div', {});
  const province = select([['', 'National ranking'], ...topo.provinces.map(p => [p.id, p.name])], '', {
    onchange: async e => {
      if (!e.target.value) { holder.replaceChildren(nationalList(national), assistanceTable(national)); return; }
      const view = await api(`/provinces/${e.target.value}`);
      holder.replaceChildren(nationalList(view.cities, view.name), assistanceTable(view.cities));
    },
  });
  holder.append(nationalList(national), assistanceTable(national));
  const element = h('section', {}, h('h1', {}, 'Assistance'),
    h('p', { class: 'muted' }, `Cities ranked by need (score × capacity gap, ${fmt(national.length, 0)} shown): who should receive testing kits, technicians and expert teams first.`),
    h('form', { class: 'filters', onsubmit: e => e.preventDefault() }, field('Scope', province)), holder);
  return { element, title: 'Assistance' };
}
