#!/usr/bin/env node
// Screenshots of signed-in console pages of a running RiskMesh, in headless Chromium, with nothing but Node (which the
// build needs anyway) and Debian's Chromium. It signs in as a person does, through the sign-in form (types the key,
// presses Enter), waits for the redirect and for the console to finish drawing each page, then saves it:
//
//   RISKMESH_API_KEY=$(cat data/admin.key) node scripts/console-screenshot.mjs /entities/city/heihe heihe.png / map.png
//
// The key comes from RISKMESH_API_KEY or --key-file (never an argument: the process list would show it), the address
// from --url, RISKMESH_URL or http://127.0.0.1:8080 as for the CLI, Chromium from RISKMESH_CHROMIUM or /usr/bin/chromium.
// Options: --width 1280 --height 800 (the page's width and height in CSS pixels, emulated through DevTools, so 390 is
// 390 although Chromium's window is at least 500 wide), --full-page (the whole page, not the window).
// Exit codes: 1 usage, 3 key refused, 4 RiskMesh unreachable, 5 a page not drawn (none there: RiskMesh answered 404,
// or the console drew an error instead of the page, or it did not finish within 30 s); nothing is saved for such a page.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

// The console's pages as people name them (README, "Web console"), for the message about an address that is none.
const PAGES = '/, /rankings, /assistance, /entities/{kind}/{id} (a province: /entities/province/{id}), /notices, /notices/{city}, /plans, /webhooks, /clock, /keys';
const usage = `usage: node scripts/console-screenshot.mjs [--url URL] [--key-file FILE] [--width N] [--height N] [--full-page] PAGE FILE.png [PAGE FILE.png …]
  PAGE is a console address such as / or /entities/city/heihe (the console's pages: ${PAGES});
  the key from RISKMESH_API_KEY or --key-file.`;

// A refusal with its exit code (as the CLI's: 1 usage, 3 key refused, 4 unreachable, 5 page not drawn); thrown so
// that Chromium is stopped and its profile removed on every way out.
class Failure extends Error {
  constructor(message, code) { super(message); this.code = code; }
}
function fail(message, code = 1) {
  throw new Failure(message, code);
}

// The console's page addresses (ConsoleEndpoints.Pages); any other address is a page of its own (the dashboard).
function isConsolePage(pathname) {
  return /^\/(rankings|assistance|plans|webhooks|clock|keys|notices(\/[^/]+){0,2}|entities\/[^/]+\/[^/]+)?$/.test(pathname);
}

let options, key, base, chromium;
const shots = [];
// Everything a run needs, checked before Chromium starts: every mistake is named and nothing is left behind.
function configure() {
  const args = process.argv.slice(2);
  options = { url: process.env.RISKMESH_URL || 'http://127.0.0.1:8080', keyFile: null, width: 1280, height: 800, fullPage: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => (i + 1 < args.length ? args[++i] : fail(`${a} needs a value\n${usage}`));
    if (a === '--url') options.url = value();
    else if (a === '--key-file') options.keyFile = value();
    else if (a === '--width') options.width = Number(value());
    else if (a === '--height') options.height = Number(value());
    else if (a === '--full-page') options.fullPage = true;
    else if (a === '--help' || a === '-h') { process.stdout.write(usage + '\n'); process.exit(0); }
    else if (a.startsWith('--')) fail(`unknown option '${a}'\n${usage}`);
    else shots.push(a);
  }
  if (shots.length === 0 || shots.length % 2) fail(`give each page a file to save it in\n${usage}`);
  for (let i = 0; i < shots.length; i += 2) {
    if (!shots[i].startsWith('/')) fail(`'${shots[i]}' is not a console address: it starts with '/', e.g. /entities/city/heihe`);
    if (!shots[i + 1].endsWith('.png')) fail(`'${shots[i + 1]}' must end in .png (Chromium saves PNG)`);
  }
  for (const n of ['width', 'height']) if (!(Number.isInteger(options[n]) && options[n] >= 320 && options[n] <= 4000)) fail(`--${n} must be a whole number of pixels from 320 to 4000`);
  key = process.env.RISKMESH_API_KEY || '';
  if (options.keyFile) {
    try { key = fs.readFileSync(options.keyFile, 'utf8'); } catch (e) { fail(`cannot read the key file ${options.keyFile}: ${e.message}`); }
  }
  key = key.trim();
  if (!key) fail('no key: set RISKMESH_API_KEY or give --key-file (e.g. --key-file data/admin.key)');
  try { base = new URL(options.url); } catch { fail(`'${options.url}' is not an address such as http://127.0.0.1:8080`); }
  chromium = process.env.RISKMESH_CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(chromium)) fail(`no Chromium at ${chromium}: install it (Debian: apt-get install chromium) or set RISKMESH_CHROMIUM`);
}
try {
  configure();
} catch (error) {
  if (!(error instanceof Failure)) throw error;
  process.stderr.write(`console-screenshot: ${error.message}\n`);
  process.exit(error.code);
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'riskmesh-shot-'));
// Port 0: Chromium picks a free debugging port and writes it to DevToolsActivePort in its profile.
const browser = spawn(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--remote-debugging-port=0',
  `--user-data-dir=${profile}`, `--window-size=${options.width},${options.height}`, 'about:blank'],
  // A process group of its own: Chromium's helper processes (GPU, network, renderers) outlive the browser process by a
  // moment and write the profile meanwhile, so the whole group is stopped and waited for before the profile goes.
  { stdio: 'ignore', detached: true });
const exited = once(browser, 'exit');

function signalGroup(signal) {
  try {
    process.kill(-browser.pid, signal);
    return true;
  } catch {
    return false; // ESRCH: no process of the group is left
  }
}

// Chromium writes its profile until every process of its group has exited: only then is the profile removed.
let closing;
function close() {
  closing ??= (async () => {
    signalGroup('SIGTERM');
    await Promise.race([exited, sleep(5000)]);
    signalGroup('SIGKILL');
    for (let waited = 0; waited < 5000 && signalGroup(0); waited += 50) await sleep(50);
    // A profile left behind (a helper that would not die) is said, never fatal: the pages were saved or refused already.
    try {
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
    } catch (error) {
      process.stderr.write(`console-screenshot: could not remove ${profile} (${error.code}); remove it by hand\n`);
    }
  })();
  return closing;
}
// Chromium is in a process group of its own, so an interrupt at the terminal does not reach it: it is stopped here.
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    interrupted = true; // what Chromium's end does to a page in progress is no failure of RiskMesh's to report
    process.stderr.write(`console-screenshot: ${signal === 'SIGINT' ? 'interrupted' : 'stopped'}; pages saved so far are kept\n`);
    await close();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

// A minimal client of the DevTools protocol over its WebSocket (Node 20 has no WebSocket client of its own).
async function connect() {
  let port;
  for (let i = 0; i < 150 && !port; i++) {
    await sleep(100);
    try { port = fs.readFileSync(path.join(profile, 'DevToolsActivePort'), 'utf8').split('\n')[0]; } catch { /* not yet written */ }
  }
  if (!port) fail(`Chromium (${chromium}) did not start within 15 s`);
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const target = targets.find(t => t.type === 'page');
  const socket = await new Promise((resolve, reject) => {
    const request = http.request(target.webSocketDebuggerUrl.replace(/^ws:/, 'http:'), {
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': crypto.randomBytes(16).toString('base64') },
    });
    request.on('upgrade', (response, s) => resolve(s));
    request.on('error', reject);
    request.end();
  });
  let buffer = Buffer.alloc(0);
  let nextId = 0;
  const pending = new Map();
  socket.on('data', chunk => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      if (buffer.length < 2) return;
      let length = buffer[1] & 127;
      let offset = 2;
      if (length === 126) { if (buffer.length < 4) return; length = buffer.readUInt16BE(2); offset = 4; }
      else if (length === 127) { if (buffer.length < 10) return; length = Number(buffer.readBigUInt64BE(2)); offset = 10; }
      if (buffer.length < offset + length) return;
      const message = JSON.parse(buffer.subarray(offset, offset + length).toString('utf8'));
      buffer = buffer.subarray(offset + length);
      if (message.id && pending.has(message.id)) { pending.get(message.id)(message); pending.delete(message.id); }
    }
  });
  return (method, params = {}) => new Promise((resolve, reject) => {
    const id = ++nextId;
    const body = Buffer.from(JSON.stringify({ id, method, params }));
    const mask = crypto.randomBytes(4);
    const head = body.length < 126 ? Buffer.from([0x81, 0x80 | body.length]) : Buffer.from([0x81, 0x80 | 126, body.length >> 8, body.length & 255]);
    pending.set(id, m => (m.error ? reject(new Error(`${method}: ${m.error.message}`)) : resolve(m.result)));
    socket.write(Buffer.concat([head, mask, Buffer.from(body.map((b, i) => b ^ mask[i % 4]))]));
  });
}

async function main() {
  const send = await connect();
  const evaluate = async expression => (await send('Runtime.evaluate', { expression, returnByValue: true })).result.value;
  // status: the HTTP status of the document's own answer (a JSON 404 for an address that is no page of RiskMesh);
  // drawnError: what the console drew instead of the page when its data was refused (an unknown city, another city's).
  const where = () => evaluate('({ path: location.pathname, ready: document.body?.dataset.ready ?? null, loaded: document.readyState === "complete", status: performance.getEntriesByType("navigation")[0]?.responseStatus ?? 0, drawnError: document.querySelector("#main > .error:only-child")?.innerText ?? null, loading: !!document.querySelector(".fa-spinner, .fa-pulse") || /^\\s*Loading\\.\\.\\.\\s*$/m.test(document.querySelector("#content")?.innerText ?? ""), figures: /\\d/.test(document.querySelector("#content")?.innerText ?? ""), form: !!document.querySelector("form input[name=key]"), error: document.querySelector("[role=alert]")?.innerText ?? null, text: document.body?.innerText.slice(0, 200) ?? "" })');

  // Waits until `page` is drawn, or says where it stopped instead. The console's own pages say so themselves
  // (body[data-ready] is their path); any other page RiskMesh serves never sets it (newcomer 17 F8: /dashboard waited
  // 30 s and failed), so for those the wait is for the document's load and for the end of its "Loading…" (the Orleans
  // dashboard's spinner until its first figures arrive), at the address or the one its server redirected to with a
  // trailing slash (/dashboard → /dashboard/).
  async function waitFor(page, seconds = 30) {
    const wanted = new URL(page, base).pathname;
    const consolePage = isConsolePage(wanted);
    const dashboard = /^\/dashboard(\/|$)/.test(wanted);
    let state;
    for (let i = 0; i < seconds * 5; i++) {
      await sleep(200);
      try { state = await where(); } catch { continue; } // between two documents
      // An address that is no page: said at once, not after 30 s, and nothing saved (newcomer 19 L9 saved the raw JSON
      // 404 of /provinces/yunnan and exited 0).
      if (state.status >= 400 && (state.path === wanted || state.path === wanted + '/') && state.loaded) {
        fail(`${page}: RiskMesh answered HTTP ${state.status}, there is no page at that address (${state.text.replace(/\s+/g, ' ').trim()}); the console's pages are ${PAGES}`, 5);
      }
      if (consolePage && state.ready === wanted && state.path === wanted) {
        if (state.drawnError) fail(`${page}: the console drew an error instead of the page: ${state.drawnError.replace(/\s+/g, ' ').trim()}`, 5);
        return;
      }
      if (!consolePage && (state.path === wanted || state.path === wanted + '/') && state.loaded && !state.loading && (!dashboard || state.figures)) return;
      if (state.path === '/signin' && state.error) fail(`sign-in refused: ${state.error}`, 3);
    }
    const what = consolePage ? 'drawn' : dashboard ? 'loaded with its first figures' : 'loaded';
    fail(`${page} was not ${what} within ${seconds} s; the browser is at ${state?.path ?? '?'}: ${state?.error ?? state?.text ?? ''}`, 5);
  }

  await send('Page.enable');
  // The page's size in CSS pixels, whatever the window's: Chromium keeps its window at least 500 pixels wide, so
  // --width 390 took a 500-pixel picture, the layout of a phone it was not (newcomer 19 L15). Kept for every page.
  await send('Emulation.setDeviceMetricsOverride', { width: options.width, height: options.height, deviceScaleFactor: 1, mobile: false });
  const first = shots[0];
  // Straight to the sign-in form, asked to come back to the first page, as the console sends a signed-out visitor.
  const opened = await send('Page.navigate', { url: new URL(`/signin?returnUrl=${encodeURIComponent(first)}`, base).href });
  if (opened.errorText) fail(`cannot open ${base.origin} (${opened.errorText}): is RiskMesh running there? set --url or RISKMESH_URL`, 4);
  for (let i = 0; i < 75; i++) {
    await sleep(200);
    const state = await where().catch(() => null);
    if (state?.form) break;
    if (i === 74) fail(`no sign-in form at ${base.origin}/signin (is RiskMesh running there? set --url or RISKMESH_URL)`, 4);
  }
  // Typed into the focused field and submitted with Enter: the form's own post (Origin: null under its no-referrer
  // policy, Sec-Fetch-Site: same-origin), so the session cookie is set exactly as for a person.
  await evaluate('document.querySelector("form input[name=key]").focus()');
  await send('Input.insertText', { text: key });
  await send('Input.dispatchKeyEvent', { type: 'keyDown', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' });
  await send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13 });

  for (let i = 0; i < shots.length; i += 2) {
    const [page, file] = [shots[i], shots[i + 1]];
    if (i > 0) await send('Page.navigate', { url: new URL(page, base).href });
    await waitFor(page);
    // Charts and the map draw once their box has its size: one more frame before the picture.
    await sleep(300);
    // The whole page: its content's height at the emulated width, as one picture.
    const content = options.fullPage ? (await send('Page.getLayoutMetrics')).cssContentSize : null;
    const shot = await send('Page.captureScreenshot', content
      ? { format: 'png', captureBeyondViewport: true, clip: { x: 0, y: 0, width: options.width, height: Math.ceil(content.height), scale: 1 } }
      : { format: 'png' });
    const png = Buffer.from(shot.data, 'base64');
    fs.writeFileSync(file, png);
    // A PNG's width is the first field of its header chunk: said when it is not the width asked for, rather than left
    // for the reader to find (a Chromium that ignores the emulation would do so silently).
    const width = png.readUInt32BE(16);
    process.stdout.write(`${file}  ${page}\n`);
    if (width !== options.width) process.stderr.write(`console-screenshot: warning: ${file} is ${width} pixels wide, not the ${options.width} asked for\n`);
  }
}

let code = 0;
try {
  await main();
} catch (error) {
  code = error instanceof Failure ? error.code : 5;
  if (!interrupted) process.stderr.write(`console-screenshot: ${error instanceof Failure ? error.message : error.stack}\n`);
} finally {
  await close();
}
process.exit(code);
