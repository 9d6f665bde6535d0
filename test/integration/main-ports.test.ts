import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

/** Runs a script as `npm start` / `npm run playground` would; resolves with its exit code and what it printed. */
function runScript(script: string, env: Record<string, string>): Promise<{ code: number | null; output: string[] }> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(PORT|SANDBOX_|PLAYGROUND_|GRAPH_|NETSUITE_|BOT_)/.test(k)),
  );
  return new Promise((done) => {
    const child = spawn(TSX, [script], { cwd: ROOT, env: { ...clean, LOG_LEVEL: 'warn', ...env } });
    let text = '';
    child.stdout.on('data', (c: Buffer) => {
      text += c;
    });
    child.stderr.on('data', (c: Buffer) => {
      text += c;
    });
    child.once('exit', (code) => {
      const output = text.split('\n').filter((l) => l.trim());
      done({ code, output });
    });
  });
}

describe('a port in use when Mailroom or the Playground starts', () => {
  let held: Server;
  let port: number;
  beforeAll(async () => {
    held = createServer();
    await new Promise<void>((r) => held.listen(0, '127.0.0.1', r));
    port = (held.address() as { port: number }).port;
  });
  afterAll(() => new Promise((r) => held.close(r)));

  // One start of main.ts only: loading the bot costs seconds of CPU. The emulator's port is the case that used to
  // crash with a stack; the bot's own PORT goes through the same check (test/unit/sandbox/ports.test.ts).
  it('npm start says in one line to change SANDBOX_GRAPH_PORT, before anything starts', async () => {
    const { code, output } = await runScript('bot/src/main.ts', { PORT: '0', SANDBOX_GRAPH_PORT: String(port) });
    expect(code).toBe(1);
    expect(output).toEqual([
      `Port ${port} is already in use, so the Graph emulator cannot listen on it: stop what holds it (another npm start?) or set SANDBOX_GRAPH_PORT to a free port.`,
    ]);
  }, 120_000);

  it('npm run playground says in one line to change PLAYGROUND_PORT, instead of taking a random port', async () => {
    const { code, output } = await runScript('bot/src/sandbox/playground.ts', { PLAYGROUND_PORT: String(port) });
    expect(code).toBe(1);
    expect(output).toEqual([
      `Port ${port} is already in use, so the Agents Playground cannot listen on it: stop what holds it (another npm run playground?) or set PLAYGROUND_PORT to a free port.`,
    ]);
  }, 60_000);
});
