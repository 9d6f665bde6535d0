// Fails when the built tab's JavaScript, gzipped, is over budget. Run after `vite build -c tab/vite.config.ts`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

// Measured at about 172 KB (React 19, Fluent UI v9, TeamsJS); the budget leaves room for growth, not for a second UI kit.
export const BUDGET_BYTES = 250 * 1024;

export function gzippedJsBytes(dist) {
  const dir = join(dist, 'assets');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .reduce((sum, f) => sum + gzipSync(readFileSync(join(dir, f)), { level: 9 }).length, 0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = fileURLToPath(new URL('../dist', import.meta.url));
  const bytes = gzippedJsBytes(dist);
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`tab JS gzipped: ${kb(bytes)} (budget ${kb(BUDGET_BYTES)})`);
  if (bytes > BUDGET_BYTES) process.exit(1);
}
