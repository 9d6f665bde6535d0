import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The packages a process has loaded after importing `entry` under tsx, as `npm start` runs it. */
async function packagesLoadedBy(entry: string): Promise<string[]> {
  const script = [
    `await import(${JSON.stringify(new URL(entry, `file://${ROOT}/`).href)});`,
    "const { createRequire } = await import('node:module');",
    'const cache = createRequire(import.meta.url).cache;',
    "const names = Object.keys(cache).map((k) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(k)?.[1] ?? '');",
    "process.stdout.write(JSON.stringify([...new Set(names)].filter((n) => n !== '')));",
  ].join('\n');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    { cwd: ROOT },
  );
  return JSON.parse(stdout) as string[];
}

describe("the job worker thread's modules (issue 14: Mailroom's memory)", () => {
  it('posts cards through botbuilder alone: teams-ai and what it drags in stay in the HTTP thread', async () => {
    const worker = await packagesLoadedBy('bot/src/worker-thread.ts');
    expect(worker).toContain('botbuilder');
    expect(worker).not.toContain('@microsoft/teams-ai');
    expect(worker).not.toContain('botbuilder-dialogs');
    expect(worker).not.toContain('gpt-tokenizer');

    const server = await packagesLoadedBy('bot/src/serve.ts');
    expect(server).toContain('@microsoft/teams-ai');
  }, 60_000);
});
