import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPO = new URL('../../../', import.meta.url).pathname;

/** What `npm run build` leaves, which a production install runs. */
export const BUILT = ['server/dist/main.js', 'mcp-tools/dist/stdio.js', 'web/out/index.html'];

/**
 * A copy of the built work tree as it would be shipped: the files a clone has (tracked, and new
 * ones not ignored), the build outputs, no node_modules; then `npm ci --omit=dev` in it, so only
 * the runtime dependencies are installed (better-sqlite3 compiles from source, as on a new
 * machine).
 */
export async function installProductionCopy(): Promise<string> {
  const unbuilt = BUILT.filter((file) => !existsSync(join(REPO, file)));
  if (unbuilt.length > 0) throw new Error(`build first (npm run build): no ${unbuilt.join(', ')}`);
  const copy = await mkdtemp(join(tmpdir(), 'tollgate-production-'));
  const listed = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    {
      cwd: REPO,
      encoding: 'utf8',
    },
  );
  for (const file of listed.split('\0')) {
    // A tracked file deleted in the work tree is still listed.
    if (!file || !existsSync(join(REPO, file))) continue;
    await mkdir(dirname(join(copy, file)), { recursive: true });
    await cp(join(REPO, file), join(copy, file));
  }
  // web/out: the page, as a static export; nothing of web/.next is needed to serve it.
  for (const dir of ['server/dist', 'mcp-tools/dist', 'web/out']) {
    if (!existsSync(join(REPO, dir))) continue;
    await cp(join(REPO, dir), join(copy, dir), { recursive: true });
  }
  await run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], {
    cwd: copy,
    maxBuffer: 64 * 1024 * 1024,
  });
  return copy;
}
