// `npm run build -w server`: bundles the server into dist/main.js, which `npm start` and
// `npm run serve` run with plain Node, so a production install needs no TypeScript tooling.
//
// Packages stay external (imported from node_modules at run time, as installed by
// `npm ci --omit=dev`: native better-sqlite3, Next.js and the SDKs cannot or need not be
// bundled), except the workspace's own @tollgate/machines, which is TypeScript source and has no
// build of its own: it is bundled in. Plain JavaScript, so it runs without tsx.
import { readFile, rm, stat } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
const outfile = join(serverDir, 'dist', 'main.js');

/** Bare imports are external, but for the workspace's own TypeScript packages. */
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@tollgate/') ? undefined : { path: args.path, external: true },
    );
  },
};

/**
 * `new URL('../../../web', import.meta.url)` finds the chat page and the tool server from the
 * source file's place; in the bundle every module shares dist/main.js's URL. Each module's
 * `import.meta.url` is replaced by its source file's URL, reached from the bundle, so those paths
 * mean what they did.
 */
const sourceFileUrls = {
  name: 'source-file-urls',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const fromBundle = relative(dirname(outfile), args.path).split(sep).join('/');
      const url = `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`;
      return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
};

// Code the server imports only when it needs it (`await import`, as the PostgreSQL store is) goes
// into chunks of its own beside main.js, loaded then: in one file, the packages it imports would
// load at start with everything else. The folder is emptied first, so no stale chunk stays.
await rm(dirname(outfile), { recursive: true, force: true });
const result = await build({
  absWorkingDir: serverDir,
  entryPoints: ['src/main.ts'],
  outdir: dirname(outfile),
  entryNames: 'main',
  chunkNames: 'chunk-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
  plugins: [externalPackages, sourceFileUrls],
});

// The bundle must carry the machines' source and import no workspace package (production
// installs have no TypeScript loader to run one), and every package it imports must be one of
// the server's `dependencies`, which `npm ci --omit=dev` installs.
if (!result.metafile.outputs['dist/main.js']) throw new Error('esbuild wrote no dist/main.js');
const outputs = Object.entries(result.metafile.outputs).filter(([path]) => path.endsWith('.js'));
const inputs = Object.keys(result.metafile.inputs);
const packages = new Set(
  outputs
    .flatMap(([, output]) => output.imports)
    .filter((i) => i.external && !isBuiltin(i.path))
    .map((i) => i.path.split('/', i.path.startsWith('@') ? 2 : 1).join('/')),
);
const { dependencies } = JSON.parse(await readFile(join(serverDir, 'package.json'), 'utf8'));
const problems = [
  ...(inputs.some((input) => input.startsWith('../machines/src/'))
    ? []
    : ['it does not bundle @tollgate/machines']),
  ...[...packages].map((name) =>
    name.startsWith('@tollgate/')
      ? `it imports ${name} at run time instead of bundling it`
      : name in dependencies
        ? null
        : `it imports ${name}, which is not in server/package.json's dependencies`,
  ),
].filter(Boolean);
if (problems.length > 0) {
  throw new Error(`server/dist/main.js would not run in production: ${problems.join('; ')}`);
}
const { size } = await stat(outfile);
process.stdout.write(
  `server/dist/main.js: ${(size / 1024).toFixed(0)} KiB and ${outputs.length - 1} chunks loaded on demand, ${inputs.length} source files bundled, ${packages.size} packages imported\n`,
);
