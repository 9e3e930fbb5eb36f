import { mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startToolClient, textOf } from './tool-client.ts';

type ToolClient = Awaited<ReturnType<typeof startToolClient>>;
let tools: ToolClient;
let outside: string;

/** Every file below `dir`, with its content, to prove nothing changed. */
async function snapshotTree(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: Record<string, string> = {};
  for (const entry of entries) {
    const full = join(entry.parentPath, entry.name);
    if (entry.isFile()) files[relative(dir, full)] = await readFile(full, 'utf8');
    else if (entry.isSymbolicLink()) files[relative(dir, full)] = '<link>';
    else if (entry.isDirectory()) files[`${relative(dir, full)}/`] = '<dir>';
  }
  return files;
}

beforeAll(async () => {
  tools = await startToolClient({ MAX_FILE_BYTES: '1000' });
  outside = join(tools.root, 'outside');
  await mkdir(outside, { recursive: true });
  await writeFile(join(outside, 'secret.txt'), 'top secret');
  await mkdir(tools.workspace, { recursive: true });
  await symlink('../outside', join(tools.workspace, 'link-out'));
  await symlink(outside, join(tools.workspace, 'abs-link'));
  await symlink('../outside/secret.txt', join(tools.workspace, 'file-link'));
  await symlink('loop', join(tools.workspace, 'loop'));
  await symlink('/etc', join(tools.workspace, 'etc-link'));
  await mkdir(join(tools.workspace, 'inner'));
  await symlink('../../outside', join(tools.workspace, 'inner', 'deep-link'));
});
afterAll(async () => tools?.close());

// Each is refused as a tool error that writes nothing: lexical tricks, then the filesystem's.
const hostileWrites: [string, string][] = [
  ['an absolute path', '/etc/passwd'],
  ['an absolute path in tmp', '/tmp/tollgate-escape.txt'],
  ['a double-slash absolute path', '//etc/passwd'],
  ['the root itself', '/'],
  ['a parent reference', '../escape.txt'],
  ['a bare parent', '..'],
  ['a parent with a slash', '../'],
  ['a nested parent escape', 'notes/../../escape.txt'],
  ['a dot then parent', './../escape.txt'],
  ['a parent to the sibling folder', '../outside/new.txt'],
  ['a parent that stays inside but is still ".."', 'a/../b.txt'],
  ['a deep climb', 'a/b/c/../../../../escape.txt'],
  ['a NUL byte', 'notes\u0000.txt'],
  ['a NUL before an extension', 'a.md\u0000/../../x'],
  ['a newline', 'a\nb.txt'],
  ['a bell character', 'a\u0007.txt'],
  ['a backslash parent', '..\\escape.txt'],
  ['a Windows drive', 'C:\\Windows\\x.txt'],
  ['a Windows drive with slashes', 'C:/x.txt'],
  ['a UNC path', '\\\\server\\share\\x'],
  ['a home folder', '~/x.txt'],
  ["another user's home", '~root/.bashrc'],
  ['an empty path', ''],
  ['a blank path', '   '],
  ['the workspace itself', '.'],
  ['the workspace with a slash', './'],
  ['a name over 255 bytes', `${'n'.repeat(300)}.txt`],
  ['a path over 1024 bytes', `${'d/'.repeat(600)}x.txt`],
  ['through a relative symlink to outside', 'link-out/new.txt'],
  ['through a symlink into a new folder', 'link-out/sub/new.txt'],
  ['through an absolute symlink', 'abs-link/new.txt'],
  ['onto a symlinked file', 'file-link'],
  ['through a symlink loop', 'loop/x.txt'],
  ['through a symlink to /etc', 'etc-link/tollgate.conf'],
  ['through a nested symlink', 'inner/deep-link/x.txt'],
  ['onto a directory symlink', 'link-out'],
  ['onto a folder', 'inner'],
];

describe('the workspace sandbox', () => {
  it(`refuses ${hostileWrites.length} hostile paths for write_file and writes nothing anywhere`, async () => {
    expect(hostileWrites.length).toBeGreaterThanOrEqual(30);
    const outsideBefore = await snapshotTree(outside);
    const workspaceBefore = await snapshotTree(tools.workspace);
    for (const [why, path] of hostileWrites) {
      const result = await tools.call('write_file', { path, content: 'pwned', overwrite: true });
      expect({ why, isError: result.isError }).toEqual({ why, isError: true });
      expect(textOf(result).length).toBeGreaterThan(10);
    }
    expect(await snapshotTree(outside)).toEqual(outsideBefore);
    expect(await snapshotTree(tools.workspace)).toEqual(workspaceBefore);
    await expect(stat('/tmp/tollgate-escape.txt')).rejects.toThrow();
    expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('top secret');
  });

  it.each([
    ['../outside/secret.txt', /climbs out of the workspace/],
    ['link-out/secret.txt', /outside the workspace through a symbolic link/],
    ['file-link', /outside the workspace through a symbolic link/],
    ['/etc/passwd', /not relative to the workspace/],
    ['etc-link/hostname', /outside the workspace/],
  ])('refuses to read %s', async (path, message) => {
    const result = await tools.call('read_file', { path });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(message);
  });

  it('refuses to list outside the workspace', async () => {
    const result = await tools.call('list_files', { path: 'link-out' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).not.toContain('secret');
  });

  it('explains each refusal in words a person understands', async () => {
    const cases: [string, RegExp][] = [
      ['../x', /climbs out of the workspace with "\.\."/],
      ['/etc/passwd', /is not relative to the workspace; give a path like notes\/a\.md/],
      ['a\u0000b', /contains a NUL byte/],
      ['file-link', /symbolic link/],
    ];
    for (const [path, message] of cases) {
      expect(textOf(await tools.call('write_file', { path, content: 'x' }))).toMatch(message);
    }
  });

  it('refuses content over the size limit and writes nothing', async () => {
    const result = await tools.call('write_file', { path: 'big.txt', content: 'x'.repeat(1001) });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/1001 bytes; files are limited to 1000 bytes/);
    await expect(stat(join(tools.workspace, 'big.txt'))).rejects.toThrow();
  });

  it('still writes a normal file inside, including through a folder it creates', async () => {
    const result = await tools.call('write_file', {
      path: 'deep/new/folder/ok.md',
      content: 'fine',
    });
    expect(result.isError).toBeFalsy();
    expect(await readFile(join(tools.workspace, 'deep/new/folder/ok.md'), 'utf8')).toBe('fine');
  });
});
