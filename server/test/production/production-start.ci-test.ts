// The production start: the built tree, installed with `npm ci --omit=dev` (no tsx, TypeScript
// or esbuild), starts with `npm start` and serves the page and /healthz from compiled
// JavaScript, without a Claude key. Run by `npm run test:production` (vitest.config.ts says why
// it is not part of `npm test`).

import { existsSync } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type NpmProcess, runNpm, serverUrl } from './npm-process.ts';
import { installProductionCopy } from './production-tree.ts';

let copy: string;
let npm: NpmProcess | undefined;

beforeAll(async () => {
  copy = await installProductionCopy();
});
afterEach(async () => {
  await npm?.stop();
  npm = undefined;
});
// Half a gigabyte of node_modules.
afterAll(() => (copy ? rm(copy, { recursive: true, force: true }) : undefined));

/** No Claude key, a free port, fresh folders; nothing from the developer's environment. */
async function serverEnv() {
  const dir = await mkdtemp(join(tmpdir(), 'tollgate-production-data-'));
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    DATA_DIR: join(dir, 'data'),
    WORKSPACE_DIR: join(dir, 'workspace'),
  };
}

describe('the production start after npm ci --omit=dev', () => {
  it('has no development dependency installed', () => {
    const devOnly = ['tsx', 'typescript', 'esbuild', 'vitest', '@biomejs/biome', 'tailwindcss'];
    expect(devOnly.filter((name) => existsSync(join(copy, 'node_modules', name)))).toEqual([]);
  });

  it.each(['start', 'serve'])(
    'npm run %s serves /healthz and the chat page, its scripts included',
    async (name) => {
      npm = runNpm(copy, name, await serverEnv());
      const url = await serverUrl(npm);

      const health = await fetch(`${url}/healthz`);
      expect([health.status, await health.json()]).toEqual([
        200,
        { ok: true, claude: 'unconfigured', database: 'ok' },
      ]);

      const page = await fetch(`${url}/`);
      const html = await page.text();
      expect(page.status).toBe(200);
      const scriptPath = /<script src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
      expect(scriptPath, html.slice(0, 500)).toBeDefined();
      const asset = await fetch(`${url}${scriptPath}`);
      expect([asset.status, asset.headers.get('content-type')]).toEqual([
        200,
        expect.stringContaining('javascript'),
      ]);
      expect(npm.output()).not.toContain('Building');
    },
  );

  it('npm start says what to do, and starts nothing, when the build is missing', async () => {
    await rename(join(copy, 'server/dist'), join(copy, 'server/dist-moved'));
    try {
      npm = runNpm(copy, 'start', await serverEnv());
      expect(await npm.exited).toBe('1');
      expect(npm.output()).toContain(
        'Tollgate cannot start: it is not built.\n  - server/dist/main.js is missing\n',
      );
      expect(npm.output()).toContain(
        'The build tools (development dependencies) are not installed here',
      );
    } finally {
      await rename(join(copy, 'server/dist-moved'), join(copy, 'server/dist'));
    }
  });
});
