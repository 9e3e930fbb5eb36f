// The benchmarks' floor: a page that does nothing but follow a conversation and note when each
// entry arrives, served from the benchmark's process. The same page is opened in a tab under
// Playwright and in a Chromium launched with no debugging attached (Playwright drives its browser
// over the DevTools protocol, which copies every WebSocket frame a page receives out of the
// browser), so the two differ only by being watched.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, CHROMIUM_FLAGS } from '../test/e2e/chromium.ts';
import { within } from './within.ts';

// Subscribes from 0 (the server sends nothing at or below the seq a subscriber says it has, so
// a tab claiming everything, afterSeq 1e6, would get nothing at all); it follows before the
// measured answer starts, so the catch-up holds none of it. Says so once the server confirms, and notes for each entry of `type` when it arrives and when it is painted; posts
// them all (`FloorRecord`s) once answer `turn` has completed and every one is painted. A socket
// that closes first (an origin the server refuses) is reported at once.
//
// "Painted" the way page-probes.js defines it for the chat page, so that the two compare paint
// to paint: the page writes how many entries it has into the DOM (so a frame has something to
// show), and a change made in an ordinary task is painted at the next frame, so the time is
// taken in the first task after that frame's rendering update (a requestAnimationFrame callback
// that posts a message to itself). Entries that arrive before that frame share its paint.
// With `showText`, the page appends each text delta's text instead of writing the count (a new
// paragraph at each blank line) and keeps the end in view (it would otherwise grow below the
// window after a screenful, where nothing is painted), so its frames lay out and paint the answer
// as any page that shows it must; the chat page also folds and renders markdown.
const page = (
  showText: boolean,
) => `<!doctype html><title>floor</title><body><p id="count">0</p><div id="text"><p></p></div><script>
  const [id, wsUrl, conversationId, type, turn] = new URLSearchParams(location.search).getAll('a');
  const showsText = ${showText} && type === 'assistant.text_delta';
  const text = document.getElementById('text');
  const now = () => performance.timeOrigin + performance.now();
  const post = (what, body) => fetch('/' + what + '?' + id, { method: 'POST', body });
  const count = document.getElementById('count');
  const socket = new WebSocket(wsUrl);
  const records = [];
  let unpainted = [];
  let completed = false;
  let posted = false;
  const finish = () => {
    if (!completed || unpainted.length > 0 || posted) return;
    posted = true;
    post('done', JSON.stringify(records));
  };
  const painted = () => {
    const time = now();
    for (const record of unpainted) record.painted = time;
    unpainted = [];
    finish();
  };
  const afterNextPaint = () =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = painted;
      channel.port2.postMessage(null);
    });
  socket.onopen = () =>
    socket.send(JSON.stringify({ type: 'subscribe', conversationId, afterSeq: 0 }));
  socket.onclose = (event) => post('failed', 'its socket closed (' + event.code + ' ' + event.reason + ')');
  socket.onmessage = (message) => {
    const arrival = now();
    const data = JSON.parse(message.data);
    if (data.type === 'subscribed') post('ready', '');
    if (data.type !== 'entries') return;
    const waiting = unpainted.length > 0;
    for (const { event, at } of data.entries) {
      if (event.type === type) {
        const stamp = event.type === 'assistant.text_delta' ? Number(String(event.text).split('|')[0]) : null;
        const record = { at, stamp, arrival, painted: null };
        if (showsText) {
          String(event.text).split('\\n\\n').forEach((part, i) => {
            if (i > 0) text.append(document.createElement('p'));
            if (part !== '') text.lastElementChild.append(part);
          });
          // The end stays in view, as in any page that shows an answer as it grows.
          document.scrollingElement.scrollTop = document.scrollingElement.scrollHeight;
        }
        records.push(record);
        unpainted.push(record);
      }
      if (event.type === 'assistant.completed' && String(event.turn) === turn) completed = true;
    }
    if (unpainted.length > 0) {
      if (!showsText) count.textContent = String(records.length);
      if (!waiting) afterNextPaint();
    }
    finish();
  };
</script>`;

/** One entry of the followed type, as the floor page saw it (epoch ms, this machine's clock). */
export interface FloorRecord {
  /** The entry's `at` (the server appended and sent it; whole ms). */
  at: number;
  /** Text deltas: the Claude stand-in's send time, read from the stamp. */
  stamp: number | null;
  arrival: number;
  painted: number;
}

interface Follower {
  ready: () => void;
  done: (records: FloorRecord[]) => void;
  failed: (reason: Error) => void;
}

/**
 * Serves the page. `follow` gives the address of one copy of it, following `conversationId`;
 * open it in a browser, then await `ready` (it follows) and `records` (answer `turn` is
 * complete and painted). The Tollgate server must allow `origin` (ALLOWED_ORIGINS).
 */
export async function serveFloorPage({ showText = false }: { showText?: boolean } = {}) {
  const html = page(showText);
  const followers = new Map<string, Follower>();
  const http = createServer((request, response) => {
    let body = '';
    request.on('data', (piece) => {
      body += piece;
    });
    request.on('end', () => {
      const [path, id = ''] = (request.url ?? '').split('?');
      const follower = followers.get(id);
      if (path === '/ready') follower?.ready();
      if (path === '/done') follower?.done(JSON.parse(body) as FloorRecord[]);
      if (path === '/failed') follower?.failed(new Error(`the floor page ${id}: ${body}`));
      response.setHeader('content-type', 'text/html');
      response.end(request.method === 'GET' ? html : '');
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  return {
    origin,
    follow(wsUrl: string, conversationId: string, type: string, turn: number) {
      const id = String(followers.size + 1);
      const follower: Follower = { ready: () => {}, done: () => {}, failed: () => {} };
      followers.set(id, follower);
      const failed = new Promise<never>((_, reject) => {
        follower.failed = reject;
      });
      failed.catch(() => {}); // Observed through the races below.
      const ready = new Promise<void>((resolve) => {
        follower.ready = resolve;
      });
      const done = new Promise<FloorRecord[]>((resolve) => {
        follower.done = resolve;
      });
      const query = [id, wsUrl, conversationId, type, String(turn)];
      return {
        url: `${origin}/?${query.map((a) => `a=${encodeURIComponent(a)}`).join('&')}`,
        /** Fails the waits below at once (the browser showing the page went away). */
        fail: (reason: Error) => follower.failed(reason),
        ready: () => within(Promise.race([ready, failed]), 30_000, `floor page ${id} to follow`),
        records: () =>
          within(Promise.race([done, failed]), 120_000, `floor page ${id} to see the answer end`),
      };
    },
    close: () => http.close(),
  };
}

/**
 * A Chromium of its own on `url`, with no debugging attached. Returns the function that stops it;
 * `onExit` hears of it exiting before that.
 */
export async function unwatchedChromium(url: string, onExit: (reason: Error) => void) {
  const profile = await mkdtemp(join(tmpdir(), 'tollgate-chromium-'));
  const browser: ChildProcess = spawn(
    CHROMIUM,
    [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, url],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => browser.once('exit', () => resolve()));
  browser.once('error', onExit);
  void exited.then(() => onExit(new Error('the unwatched Chromium exited')));
  const kill = () => browser.kill();
  process.once('exit', kill);
  return async () => {
    process.off('exit', kill);
    browser.kill();
    await exited;
    // Its helper processes may still be writing into the profile as the browser exits.
    await rm(profile, { recursive: true, force: true, maxRetries: 10 });
  };
}
