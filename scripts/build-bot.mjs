// Compiles the bot (bot/src, tests left out) to the JavaScript `npm start` runs: dist/bot, laid out as bot/src is,
// so paths a module finds from its own location (../../tab/dist, the suiteapp folder) resolve from either.
// Each file is transpiled on its own by esbuild, as tsx does when it runs the sources; types are checked by
// `npm run build` and `npm test`, not here. With --if-stale (npm start's prestart) it does nothing unless a source
// is newer than the last complete build, so a fresh clone and a changed .ts are built and other starts are not.
import { cpSync, existsSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'bot', 'src');
export const OUT = join(ROOT, 'dist', 'bot');
/** Written when a build is complete; older than any source, the build is stale. */
const STAMP = join(OUT, '.built');
/** Besides the sources, what changes the output: this script and the TypeScript settings esbuild reads. */
const INPUTS = [fileURLToPath(import.meta.url), join(ROOT, 'tsconfig.json'), join(ROOT, 'package-lock.json')];

function sources(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (!e.name.endsWith('.test.ts') && (e.name.endsWith('.ts') || e.name.endsWith('.json'))) out.push(p);
  }
  return out;
}

export function isStale() {
  if (!existsSync(STAMP)) return true;
  const built = statSync(STAMP).mtimeMs;
  return [...sources(SRC), ...INPUTS.filter((p) => existsSync(p))].some((p) => statSync(p).mtimeMs > built);
}

export async function buildBot() {
  // The stamp carries the time the sources were read: one saved during the build makes the next start build again.
  const started = new Date();
  const files = sources(SRC);
  // From scratch, so a deleted or renamed source leaves nothing behind; beside the old build, which is replaced
  // only once the new one is whole.
  const next = `${OUT}.${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  await build({
    entryPoints: files.filter((p) => p.endsWith('.ts')),
    outdir: next,
    outbase: SRC,
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    // With NODE_OPTIONS=--enable-source-maps, stack traces name .ts lines. The maps hold positions only: a map's copy
    // of its source would sit in memory for every loaded module and is never shown.
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
  });
  for (const p of files.filter((f) => f.endsWith('.json'))) cpSync(p, join(next, relative(SRC, p)));
  writeFileSync(join(next, '.built'), `${started.toISOString()}\n`);
  utimesSync(join(next, '.built'), started, started);
  rmSync(OUT, { recursive: true, force: true });
  renameSync(next, OUT);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!process.argv.includes('--if-stale') || isStale()) {
    const t = Date.now();
    await buildBot();
    process.stdout.write(`Compiled bot/src to ${relative(ROOT, OUT)} in ${Date.now() - t} ms\n`);
  }
}
