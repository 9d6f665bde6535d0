import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main as sandboxCli } from '../../bot/src/sandbox/cli.js';
import { sandboxNetSuiteCredentials } from '../../bot/src/sandbox/netsuite-emulator/credentials.js';
import { installInTeam, launchPlayground, type RunningPlayground } from '../../bot/src/sandbox/playground.js';
import { accountUiHost } from '../../bot/src/teams/message-extension/record-link.js';
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
/** The sandbox NetSuite account's UI, as a link to one of its records reads in a real account. */
const NETSUITE_APP = `https://${accountUiHost(sandboxNetSuiteCredentials().accountId)}`;
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

/** Stops Mailroom as Ctrl+C in its terminal does: the whole process group (npm and node). */
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

/**
 * The new-post composer: the card (role=group) that holds the Post button. Scoped so that the reply boxes under
 * each thread and the cards' own text inputs, which appear once cards are in the channel, never match.
 */
function composer(page: Page) {
  return page.getByRole('group').filter({ has: page.getByRole('button', { name: 'Post', exact: true }) });
}

/** Types a channel post that mentions Mailroom, as a person does in the page: "@Mail", pick Mailroom, the rest. */
async function post(page: Page, text: string): Promise<void> {
  const box = composer(page);
  await box.getByRole('textbox').click();
  await page.keyboard.type('@Mail');
  await page
    .getByRole('listbox', { name: 'Typeahead menu' })
    .getByRole('menuitem', { name: /Mailroom/ })
    .click();
  await page.keyboard.type(` ${text}`);
  await box.getByRole('button', { name: 'Post', exact: true }).click();
}

/** The email's card in the channel: the post (role=group) whose subject line is exactly `subject`. */
function card(page: Page, subject: string) {
  return page.getByRole('group').filter({ has: page.getByText(subject, { exact: true }) });
}

/** The Dashboard as `user` signs in to it, loaded afresh (it reads its data when a view opens). */
async function dashboard(user: string): Promise<Page> {
  if (!browser) throw new Error('no browser');
  const tab = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  tab.setDefaultTimeout(30_000);
  await tab.goto(`http://127.0.0.1:${ports.bot}/tab/?user=${user}`);
  await tab.getByRole('tablist', { name: 'Dashboard views' }).waitFor();
  return tab;
}

describe("a newcomer's journey: npm start, the Agents Playground and the Dashboard", () => {
  // Every step needs the browser. The note reaches the prerequisites reporter, which prints it after the summary.
  beforeEach((ctx) => {
    if (missingChromium) ctx.skip(`the journey needs Chromium: ${missingChromium}`);
  });

  // The steps run in order on one Playground page, each from where the last one left it.
  let page: Page;

  it('1. watches, and saves from a card', async () => {
    if (!browser || !pg) throw new Error('the journey did not start');
    page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    page.setDefaultTimeout(30_000);
    await page.goto(`http://localhost:${pg.port}`, { waitUntil: 'networkidle' });
    await page.getByText('Support', { exact: true }).click();

    // @Mailroom /watch support@contoso.com, typed; a mail; its card; pick Ana Ruiz and Save.
    await post(page, '/watch support@contoso.com');
    await page.getByText(/Now watching support@contoso.com/).waitFor();
    await email('--from-name', 'Ana Ruiz', '--subject', SUBJECT);
    const first = card(page, SUBJECT);
    await first.getByPlaceholder('Pick records, or type to search NetSuite').waitFor();
    await first.locator('input[role=combobox]').first().click();
    await page.keyboard.type('Ana');
    await page.getByRole('option', { name: /^Ana Ruiz \(Contact\)/ }).click();
    await first.getByRole('button', { name: 'Save to NetSuite' }).click();
    await first.getByText(/Saved to Ana Ruiz \(Contact\) by Adele Vance/).waitFor();
  }, 90_000);

  it('2. keeps receiving mail across a restart, and the Dashboard lists the save', async () => {
    // Mailroom stops and starts again. The emulators live inside Mailroom's process, so no mail can arrive while
    // it is down; the mail is delivered right after the restart instead, and its card must still appear.
    await stopMailroom();
    await npmStart();
    await email('--subject', AFTER_RESTART);
    await card(page, AFTER_RESTART).waitFor({ timeout: 45_000 });

    const tab = await dashboard('adele');
    await tab.getByText(SUBJECT).first().waitFor();
    await tab.getByText('Ana Ruiz').first().waitFor();
    await tab.close();
  }, 150_000);

  it('3. claims a card, and the claimer releases it', async () => {
    const claimed = card(page, AFTER_RESTART);
    await claimed.getByRole('button', { name: 'Claim', exact: true }).click();
    // Everyone's card (the shared update) names the claimer and offers no Claim.
    await claimed.getByText('Claimed by Adele Vance · replying privately').waitFor();
    await claimed.getByRole('button', { name: 'Claim', exact: true }).waitFor({ state: 'detached' });

    // Teams shows the claimer their own Release by refreshing the card for them (refresh.userIds); the Playground
    // never refreshes a card by itself, so there the claimer's Release is the Dashboard's (Claims).
    const tab = await dashboard('adele');
    await tab.getByRole('tab', { name: 'Claims' }).click();
    await tab.getByRole('button', { name: `Release "${AFTER_RESTART}" from Adele Vance` }).click();
    await tab.getByRole('status').getByText(`Released "${AFTER_RESTART}" from Adele Vance`).waitFor();
    await tab.close();
    // The card in the channel is open again, for everyone.
    await claimed.getByRole('button', { name: 'Claim', exact: true }).waitFor();
    expect(await claimed.getByText(/Claimed by/).count()).toBe(0);
  }, 60_000);

  it('4. turns autopilot on from a card (after /license assign support@), and its owner turns it off', async () => {
    await post(page, '/license assign support@');
    await page.getByText(/support@contoso.com now has a Mailroom license/).waitFor();

    // The saved card: autopilot for this sender saves to the records the email was saved to (Ana Ruiz).
    const saved = card(page, SUBJECT);
    await saved.getByRole('button', { name: 'Turn on autopilot' }).click();
    await saved.getByText(/Autopilot is on for this sender \(rule by Adele Vance/).waitFor();

    const tab = await dashboard('adele');
    await tab.getByRole('tab', { name: 'Autopilot' }).click();
    const row = tab.getByRole('row').filter({ hasText: 'ana@fabrikam.com' });
    await row.getByText('Adele Vance (you)').waitFor();
    await row.getByRole('button', { name: 'Turn off autopilot for ana@fabrikam.com' }).click();
    await tab.getByRole('status').getByText('Autopilot for ana@fabrikam.com is off.').waitFor();
    await tab.getByText('No autopilot rules are on.').waitFor();
    await tab.close();
  }, 60_000);

  it('5. /autopilot on me', async () => {
    // A person's own mailbox needs a seat too; Adele owns the team, so she may assign one.
    await post(page, '/license assign me');
    await page.getByText(/adele@contoso.com now has a Mailroom license/).waitFor();
    await post(page, '/autopilot on me');
    await page.getByText(/Autopilot is on for adele@contoso.com\./).waitFor();
  }, 60_000);

  it('6. searches NetSuite from the messaging extension, and unfurls a link to the account', async () => {
    const box = composer(page);
    await box.getByRole('button', { name: 'Trigger Message Extension App' }).click();
    await page.getByRole('menuitem', { name: 'Search Command' }).click();
    await page.getByPlaceholder('Enter a search term').fill('Fabrikam');
    await page.getByText('Fabrikam, Inc.', { exact: true }).first().click();
    // The picked record's card is in the composer; posting it puts it in the channel.
    await box.getByText('orders@fabrikam.com').waitFor();
    await box.getByRole('button', { name: 'Post', exact: true }).click();
    await box.getByText('orders@fabrikam.com').waitFor({ state: 'detached' });
    await page.getByRole('group').filter({ hasText: 'orders@fabrikam.com' }).first().waitFor();

    // A link to a record in the sandbox's NetSuite account (Fabrikam, customer 101) unfurls into its card.
    await box.getByRole('button', { name: 'Trigger Message Extension App' }).click();
    await page.getByRole('menuitem', { name: 'Link Unfurling' }).click();
    const dialog = page.getByRole('dialog', { name: 'Link Unfurling' });
    await dialog
      .getByRole('textbox', { name: 'Enter an URL' })
      .fill(`${NETSUITE_APP}/app/common/entity/custjob.nl?id=101`);
    await dialog.getByRole('button', { name: 'Send to Conversation' }).click();
    await dialog.getByText('Customer · #101').waitFor();
    await dialog.getByText('orders@fabrikam.com').waitFor();
  }, 60_000);
});
