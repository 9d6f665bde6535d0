// `npm start` serves the Dashboard tab from tab/dist; build it on the first start so a fresh clone needs only
// `npm install && npm start`. Later starts skip this unless tab sources are newer than the build.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const dist = join('tab', 'dist', 'index.html');

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const stale = !existsSync(dist) || newest(join('tab', 'src')) > statSync(dist).mtimeMs;
if (stale) {
  process.stdout.write('Building the Dashboard tab (first start only)…\n');
  execSync('npx vite build -c tab/vite.config.ts --logLevel warn', { stdio: 'inherit' });
}
