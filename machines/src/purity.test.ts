import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// machines/ is the pure core: it may import only its own files and these libraries. Its
// tsconfig also compiles it without Node or DOM types, so a global like `process` or `window`
// fails the typecheck.
const ALLOWED = new Set(['xstate', 'zod', 'immer']);
const SRC = new URL('.', import.meta.url).pathname;

/** Every module but the tests themselves: test support is pure too (a test passes it any IO). */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Every module specifier: imports, re-exports, bare imports, import() and require(). */
function importsOf(source: string): string[] {
  const pattern =
    /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*['"]([^'"]+)['"]|(?:import|require)\s*\(\s*['"]([^'"]+)['"]/g;
  return [...source.matchAll(pattern)].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
}

describe('machines/', () => {
  const files = sourceFiles(SRC);

  it('imports nothing from Node, the DOM or any IO library', () => {
    expect(files.length).toBeGreaterThan(10);
    const offending = files.flatMap((file) =>
      importsOf(readFileSync(file, 'utf8'))
        .filter((spec) => !spec.startsWith('.') && !ALLOWED.has(spec.split('/')[0] ?? ''))
        .map((spec) => `${relative(SRC, file)} imports ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it('lists only the allowed libraries as dependencies', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(Object.keys(pkg.dependencies ?? {}).sort()).toEqual([...ALLOWED].sort());
  });

  it('the import scan catches what it must', () => {
    expect(importsOf(`import { readFile } from 'node:fs';\nexport * from "./x.ts";`)).toEqual([
      'node:fs',
      './x.ts',
    ]);
    expect(importsOf(`const ws = await import('ws');`)).toEqual(['ws']);
    expect(importsOf(`import 'node:fs';\nconst p = require("path");`)).toEqual(['node:fs', 'path']);
  });
});
