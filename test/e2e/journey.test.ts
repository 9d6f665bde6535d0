import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as sandboxCli } from '../../bot/src/sandbox/cli.js';
import { installInTeam, launchPlayground, type RunningPlayground } from '../../bot/src/sandbox/playground.js';
import { CHROMIUM, CHROMIUM_ARGS, chromiumMissing } from '../../scripts/chromium.js';
import { freePort } from '../helpers/free-port.js';

/**
 * The README's quick start, as a newcomer does it: `npm start` (a child process, its own data folder and ports),
 * the real Agents Playground, and its web page in Chromium where the commands are typed and the card's buttons
 * clicked; then Mailroom is killed and started again, and the Dashboard is opened for what it shows.
 */
const ROOT = join(import.meta.dirname, '../..');
const SUBJECT = 'Order 1042 is late';
const AFTER_RESTART = 'Invoice 88 after the restart';
const missingChromium = chromiumMissing();
const dir = mkdtempSync(join(tmpdir(), 'mailroom-journey-'));

let ports: { bot: number; graph: number; netsuite: number };
let env: NodeJS.ProcessEnv;
let mailroom: ChildProcess | undefined;
let pg: RunningPlayground | undefined;
let browser: Browser | undefined;
let output = '';

/** `npm start`, as the README says, with this test's data folder and ports; resolves once /healthz answers. */
async function npmStart(): Promise<void> {
  const child = spawn('npm', ['start'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  mailroom = child;
  child.stdout?.on('data', (c: Buffer) => {
    output += c;
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c;
  });
  const end = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${output}`);
    const ok = await fetch(`http://127.0.0.1:${ports.bot}/healthz`, { signal: AbortSignal.timeout(2000) })
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    if (Date.now() > end) throw new Error(`npm start did not answer /healthz in 90 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Stops Mailroom as Ctrl+C in its terminal does: the whole process group (npm, tsx, node). */
async function stopMailroom(signal: NodeJS.Signals = 'SIGINT'): Promise<void> {
  const child = mailroom;
  mailroom = undefined;
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  process.kill(-child.pid, signal);
  const killer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 15_000);
  await exited;
  clearTimeout(killer);
}

async function email(...args: string[]): Promise<void> {
  const code = await sandboxCli(['email', '--to', 'support@contoso.com', '--from', 'ana@fabrikam.com', ...args], env);
  expect(code).toBe(0);
}

beforeAll(async () => {
  if (missingChromium) return;
  ports = { bot: await freePort(), graph: await freePort(), netsuite: await freePort() };
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(PORT|SANDBOX_|PLAYGROUND_|GRAPH_|NETSUITE_|BOT_|DATABASE_)/.test(k),
    ),
  );
  env = {
    ...clean,
    PORT: String(ports.bot),
    SANDBOX_GRAPH_PORT: String(ports.graph),
    SANDBOX_NETSUITE_PORT: String(ports.netsuite),
    DATABASE_URL: `sqlite:${join(dir, 'mailroom.db')}`,
    LOG_LEVEL: 'warn',
  };
  await npmStart();
  pg = await launchPlayground({
    botEndpoint: `http://127.0.0.1:${ports.bot}/api/messages`,
    port: 0,
    logFile: join(dir, 'playground.log'),
    cwd: dir,
  });
  await installInTeam(pg.base);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await pg?.stop();
  await stopMailroom();
  rmSync(dir, { recursive: true, force: true });
});

/** Types a channel post that mentions Mailroom, as a person does in the page: "@Mail", pick Mailroom, the rest. */
async function post(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox').first().click();
  await page.keyboard.type('@Mail');
  await page.getByText('Mailroom', { exact: true }).last().click();
  await page.keyboard.type(` ${text}`);
  await page.getByRole('button', { name: 'Post' }).click();
}

describe("a newcomer's journey: npm start, the Agents Playground and the Dashboard", () => {
  it('watches, saves from a card, and keeps receiving mail across a restart', async (ctx) => {
    if (missingChromium || !browser || !pg) return ctx.skip(`the journey needs Chromium: ${missingChromium}`);
    const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    page.setDefaultTimeout(30_000);
    await page.goto(`http://localhost:${pg.port}`, { waitUntil: 'networkidle' });
    await page.getByText('Support', { exact: true }).click();

    // 1. @Mailroom /watch support@contoso.com, typed; a mail; its card; pick Ana Ruiz and Save.
    await post(page, '/watch support@contoso.com');
    await page.getByText(/Now watching support@contoso.com/).waitFor();
    await email('--from-name', 'Ana Ruiz', '--subject', SUBJECT);
    await page.getByText(SUBJECT, { exact: true }).first().waitFor();
    await page.getByPlaceholder('Pick records, or type to search NetSuite').first().waitFor();
    await page.locator('input[role=combobox]').first().click();
    await page.keyboard.type('Ana');
    await page.getByRole('option', { name: /^Ana Ruiz \(Contact\)/ }).click();
    await page.getByRole('button', { name: 'Save to NetSuite' }).first().click();
    await page
      .getByText(/Saved to Ana Ruiz \(Contact\) by Adele Vance/)
      .first()
      .waitFor();

    // 2. Mailroom stops and starts again. The emulators live inside Mailroom's process, so no mail can arrive while
    // it is down; the mail is delivered right after the restart instead, and its card must still appear.
    await stopMailroom();
    await npmStart();
    await email('--subject', AFTER_RESTART);
    await page.getByText(AFTER_RESTART, { exact: true }).first().waitFor({ timeout: 45_000 });

    // The Dashboard lists the save made before the restart.
    const tab = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    tab.setDefaultTimeout(30_000);
    await tab.goto(`http://127.0.0.1:${ports.bot}/tab/?user=adele`);
    await tab.getByText(SUBJECT).first().waitFor();
    await tab.getByText('Ana Ruiz').first().waitFor();
  }, 240_000);
});
