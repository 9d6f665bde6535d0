import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Bench, BenchResult } from './lib/result.js';
import { verdict } from './lib/result.js';
import { kib } from './lib/stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'tab', 'dist');

/** Issue 6: the tab's first load, as the gzipped size of its JavaScript, against tab/scripts/check-size.mjs. */
export const tabSize: Bench = {
  name: 'tab',
  async run(ctx): Promise<BenchResult> {
    const notes: string[] = [];
    if (!existsSync(join(DIST, 'assets'))) {
      ctx.log('  tab: tab/dist is missing; building it');
      execFileSync('npx', ['vite', 'build', '-c', 'tab/vite.config.ts'], { cwd: ROOT, stdio: 'ignore' });
      notes.push('tab/dist was built for this run.');
    }
    const budgetModule = join(ROOT, 'tab', 'scripts', 'check-size.mjs');
    const { BUDGET_BYTES } = (await import(budgetModule)) as { BUDGET_BYTES: number };
    const assets = join(DIST, 'assets');
    const files = readdirSync(assets).filter((f) => f.endsWith('.js'));
    const sizes = files.map((f) => {
      const raw = readFileSync(join(assets, f));
      return { f, raw: raw.length, gz: gzipSync(raw, { level: 9 }).length };
    });
    const gz = sizes.reduce((s, x) => s + x.gz, 0);
    const raw = sizes.reduce((s, x) => s + x.raw, 0);
    return {
      name: 'tab',
      title: 'Dashboard tab first load (issue 6)',
      method:
        'The JavaScript of the built tab (tab/dist/assets/*.js), gzipped at level 9 as tab/scripts/check-size.mjs ' +
        'counts it; the budget is that script’s. The dist is rebuilt only when missing.',
      rows: [
        {
          metric: `JavaScript, ${files.length} file(s): gzipped (raw)`,
          value: `${kib(gz)} (${kib(raw)})`,
          compare: verdict(gz <= BUDGET_BYTES, `budget ${kib(BUDGET_BYTES)} gzipped`),
        },
      ],
      notes,
    };
  },
};
