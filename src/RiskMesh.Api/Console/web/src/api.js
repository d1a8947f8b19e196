// Every request goes to this origin under /api/v1 with the session cookie; errors carry the ProblemDetails.

/** An API answer that was not 2xx, with its ProblemDetails. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

export async function api(path, { method = 'GET', body, signal } = {}) {
  const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin', signal };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch('/api/v1' + path, init);
  if (response.status === 401) {
    // The session ended: sign in again and come back here.
    location.assign('/signin?returnUrl=' + encodeURIComponent(location.pathname + location.search));
    throw new ApiError(401, { title: 'Signed out' });
  }
  if (response.status === 429) {
    // Too many failed keys from this address: every request is refused until Retry-After has passed. Said in words,
    // with the wait, rather than as the ProblemDetails a program reads (newcomer 13 saw its raw JSON).
    throw new ApiError(429, tooManyFailures(response.headers.get('Retry-After')));
  }
  const text = await response.text();
  const data = text && (response.headers.get('content-type') || '').includes('json') ? JSON.parse(text) : text || null;
  if (!response.ok) throw new ApiError(response.status, typeof data === 'object' ? data : { detail: data });
  return data;
}

/**
 * The problem shown for a 429 after too many failed key attempts: the wait from Retry-After (seconds, or an HTTP
 * date), as the sign-in page and the CLI say it.
 */
export function tooManyFailures(retryAfter) {
  const text = (retryAfter || '').trim();
  const seconds = /^\d+$/.test(text) ? Number(text) : Math.ceil((Date.parse(text) - Date.now()) / 1000);
  const wait = Number.isFinite(seconds) && seconds > 0 ? `try again in ${seconds} s` : 'try again in a minute';
  return { title: 'Refused for now', detail: `Too many failed key attempts from this address; ${wait}.`, status: 429, retryAfter: Number.isFinite(seconds) ? seconds : null };
}

let topologyPromise;
/** The topology, read once per page load, with lookups. */
export function topology() {
  topologyPromise ??= api('/topology').then(t => ({
    ...t,
    portById: new Map(t.ports.map(p => [p.id, p])),
    cityById: new Map(t.cities.map(c => [c.id, c])),
    provinceById: new Map(t.provinces.map(p => [p.id, p])),
    countryByCode: new Map(t.countries.map(c => [c.code, c])),
  }));
  return topologyPromise;
}

let mePromise;
/** Who is signed in: key id, role, cities. */
export function me() {
  mePromise ??= api('/me');
  return mePromise;
}

/**
 * Which entity pages a key may open, as the API decides it: a responder its own cities and their ports (a port is
 * the city's its topology `city` names), every other reader every entity. Pages link only what opens, so a response
 * team is never led to a 403.
 */
export function canOpen(who, topo) {
  if (who?.role !== 'responder') return () => true;
  const cities = new Set(who.cities || []);
  return (kind, id) => (kind === 'city' ? cities.has(id) : kind === 'port' ? cities.has(topo?.portById.get(id)?.city) : false);
}

/** A ranking of every entity of a kind, keyed by id. */
export async function rankingMap(kind) {
  const rows = await api(`/rankings?kind=${kind}&limit=1000`);
  return new Map(rows.map(r => [r.id, r]));
}

// Like Promise.all, but waits for every request and throws the first failure in the order given, not in the order
// the answers arrive: a page that asks for several things reports the same, most relevant error every time.
export async function allInOrder(requests) {
  const settled = await Promise.allSettled(requests);
  const failed = settled.find(s => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map(s => s.value);
}
