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

// Subscribes as a tab that has everything (only new entries come), says so once the server
// confirms, notes when each entry of `type` arrives, and posts the latencies (ms after each
// entry's `at`) when answer `turn` completes; a socket that closes first (an origin the server
// refuses) is reported at once.
const PAGE = `<!doctype html><title>floor</title><script>
  const [id, wsUrl, conversationId, type, turn] = new URLSearchParams(location.search).getAll('a');
  const post = (what, body) => fetch('/' + what + '?' + id, { method: 'POST', body });
  const socket = new WebSocket(wsUrl);
  const latencies = [];
  socket.onopen = () =>
    socket.send(JSON.stringify({ type: 'subscribe', conversationId, afterSeq: 1e6 }));
  socket.onclose = (event) => post('failed', 'its socket closed (' + event.code + ' ' + event.reason + ')');
  socket.onmessage = (message) => {
    const now = performance.timeOrigin + performance.now();
    const data = JSON.parse(message.data);
    if (data.type === 'subscribed') post('ready', '');
    if (data.type !== 'entries') return;
    for (const { event, at } of data.entries) {
      if (event.type === type) latencies.push(now - at);
      if (event.type === 'assistant.completed' && String(event.turn) === turn) {
        post('done', JSON.stringify(latencies));
      }
    }
  };
</script>`;

interface Follower {
  ready: () => void;
  done: (latencies: number[]) => void;
  failed: (reason: Error) => void;
}

/**
 * Serves the page. `follow` gives the address of one copy of it, following `conversationId`;
 * open it in a browser, then await `ready` (it follows) and `latencies` (answer `turn` is
 * complete). The Tollgate server must allow `origin` (ALLOWED_ORIGINS).
 */
export async function serveFloorPage() {
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
      if (path === '/done') follower?.done(JSON.parse(body) as number[]);
      if (path === '/failed') follower?.failed(new Error(`the floor page ${id}: ${body}`));
      response.setHeader('content-type', 'text/html');
      response.end(request.method === 'GET' ? PAGE : '');
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
      const done = new Promise<number[]>((resolve) => {
        follower.done = resolve;
      });
      const query = [id, wsUrl, conversationId, type, String(turn)];
      return {
        url: `${origin}/?${query.map((a) => `a=${encodeURIComponent(a)}`).join('&')}`,
        /** Fails the waits below at once (the browser showing the page went away). */
        fail: (reason: Error) => follower.failed(reason),
        ready: () => within(Promise.race([ready, failed]), 30_000, `floor page ${id} to follow`),
        latencies: () =>
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
    await rm(profile, { recursive: true, force: true });
  };
}
