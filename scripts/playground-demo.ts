/**
 * Replays the README walk-through in the Agents Playground's web page, as a person would, and takes the
 * pictures of each step (playground-{watch,card,reply,saved}.png) into test-results/screenshots, or the folder
 * given with --out. Needs `npm start` (best on a fresh ./data) and `npm run playground` running, and Chromium at
 * /usr/bin/chromium (or CHROMIUM=<path>). `npm run screenshots` starts both itself and writes docs/img.
 *
 *   rm -rf data && npm start          # terminal 1
 *   npm run playground                # terminal 2
 *   tsx scripts/playground-demo.ts    # terminal 3
 */

import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { main as sandboxEmail } from '../bot/src/sandbox/cli.js';
import { portOf } from '../bot/src/sandbox/ports.js';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SUBJECT = 'Order 1042 is late';

export interface DemoOptions {
  /** The Playground's page, e.g. http://localhost:56150. */
  playground: string;
  /** Where the pictures go. */
  outDir: string;
}

async function reachable(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    // Not running: the caller says what to start.
    return false;
  }
}

async function shot(page: Page, outDir: string, name: string, focus: string | RegExp): Promise<void> {
  await page.getByText(focus).first().scrollIntoViewIfNeeded();
  // Let the card finish laying out (fonts, the combobox) before the picture.
  await page.waitForTimeout(700);
  const path = join(outDir, name);
  await page.screenshot({ path });
  console.log(`  saved ${path}`);
}

/** Notes when the text first appears on the page, so the delay measured is the page's, not this script's polling. */
async function watchForText(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => {
    const w = window as unknown as { mailroomSeenAt?: number };
    const observer = new MutationObserver(() => {
      if (document.body.textContent?.includes(t)) {
        w.mailroomSeenAt = Date.now();
        observer.disconnect();
      }
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  }, text);
}

async function email(subject: string, ...extra: string[]): Promise<void> {
  const args = ['email', '--to', 'support@contoso.com', '--from', 'ana@fabrikam.com', '--subject', subject, ...extra];
  if ((await sandboxEmail(args)) !== 0) throw new Error('sandbox:email failed; is `npm start` running?');
}

export async function playgroundDemo({ playground, outDir }: DemoOptions): Promise<number> {
  if (!(await reachable(`${playground.replace('localhost', '127.0.0.1')}/_debug/ping`))) {
    console.error(`The Playground is not answering at ${playground}. Run \`npm start\`, then \`npm run playground\`.`);
    return 1;
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`Chromium is not at ${CHROMIUM}. Install it (apt-get install -y chromium) or set CHROMIUM.`);
    return 1;
  }
  mkdirSync(outDir, { recursive: true });
  // launch() gives a fresh temporary profile each run.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    await page.goto(playground, { waitUntil: 'networkidle' });
    await page.getByText('Support', { exact: true }).click();

    console.log('1. In the Support channel: @Mailroom /watch support@contoso.com');
    await page.getByRole('textbox').first().click();
    await page.keyboard.type('@Mail');
    await page.getByText('Mailroom', { exact: true }).last().click();
    await page.keyboard.type(' /watch support@contoso.com');
    await page.getByRole('button', { name: 'Post' }).click();
    await page.getByText(/(Now|Already) watching support@contoso.com/).waitFor({ timeout: 15_000 });
    await shot(page, outDir, 'playground-watch.png', /watching support@contoso.com/);

    console.log(`2. npm run sandbox:email -- --to support@contoso.com --from ana@fabrikam.com --subject "${SUBJECT}"`);
    await watchForText(page, SUBJECT);
    const sent = Date.now();
    await email(SUBJECT);
    await page.getByText(SUBJECT, { exact: true }).first().waitFor({ timeout: 15_000 });
    const seen = await page.evaluate(() => (window as unknown as { mailroomSeenAt?: number }).mailroomSeenAt ?? 0);
    console.log(`  the card was on the page ${seen - sent} ms after the mail was sent`);
    // The card is updated with NetSuite suggestions a moment later.
    await page.getByPlaceholder('Pick records, or type to search NetSuite').first().waitFor({ timeout: 15_000 });
    await shot(page, outDir, 'playground-card.png', SUBJECT);

    console.log(`3. The reply: --subject "Re: ${SUBJECT}" --reply`);
    await email(`Re: ${SUBJECT}`, '--reply');
    await page.getByText(`Re: ${SUBJECT}`, { exact: true }).waitFor({ timeout: 15_000 });
    await shot(page, outDir, 'playground-reply.png', `Re: ${SUBJECT}`);

    console.log('4. Pick Ana Ruiz (Contact) and press Save to NetSuite');
    // The Playground lists a filtered choice set's choices only once something is typed.
    await page.locator('input[role=combobox]').first().click();
    await page.keyboard.type('Ana');
    await page.getByRole('option', { name: /^Ana Ruiz \(Contact\)/ }).click();
    await page.getByRole('button', { name: 'Save to NetSuite' }).first().click();
    await page
      .getByText(/Saved to/)
      .first()
      .waitFor({ timeout: 20_000 });
    await shot(page, outDir, 'playground-saved.png', /Saved to/);
    return 0;
  } finally {
    await browser.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  process.exitCode = await playgroundDemo({
    playground: process.env.PLAYGROUND_URL ?? `http://localhost:${portOf('PLAYGROUND_PORT')}`,
    outDir: resolve(values.out ?? join(ROOT, 'test-results/screenshots')),
  });
}
