import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MailroomError } from '../../bot/src/core/errors.js';
import { JobQueue } from '../../bot/src/jobs/queue.js';
import { createTabIssuer } from '../../bot/src/sandbox/tab-issuer.js';
import { tabRoutes } from '../../bot/src/tab-api/routes.js';
import { createSsoVerifier } from '../../bot/src/tab-api/verify-sso.js';
import { CHROMIUM, CHROMIUM_ARGS, chromiumMissing } from '../../scripts/chromium.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { type RouteServer, startRouteServer } from '../integration/tab-api/route-server.js';
import { ADELE, ALEX, inEveryTeam, insertEmailJob, MEGAN, seedDashboard, T1 } from '../integration/tab-api/seed.js';

const TAB = join(import.meta.dirname, '../../tab');
const DIST = join(TAB, 'dist');
/**
 * Where the screenshots go: the git-ignored test-results/ unless SCREENSHOT_DIR says otherwise. Only
 * `npm run screenshots` points it at docs/img, so a test run never rewrites tracked files.
 */
const SHOTS = process.env.SCREENSHOT_DIR ?? join(import.meta.dirname, '../../test-results/screenshots');
const CLIENT_ID = '11111111-2222-4333-8444-555555555555';
/** A person of the tenant in no team that gets a watched mailbox's mail. */
const DIEGO = {
  oid: '00000000-0000-4000-8000-0000000000a4',
  tid: T1,
  name: 'Diego Siciliani',
  upn: 'diego@contoso.com',
};

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((f) => newestMtime(join(path, f))));
}

/** Builds the tab unless tab/dist is newer than every source file. */
async function ensureBuilt(): Promise<void> {
  const built = existsSync(join(DIST, 'index.html')) ? statSync(join(DIST, 'index.html')).mtimeMs : 0;
  const sources = Math.max(
    newestMtime(join(TAB, 'src')),
    newestMtime(join(TAB, 'index.html')),
    newestMtime(join(TAB, 'vite.config.ts')),
  );
  if (built > sources) return;
  const { build } = await import('vite');
  await build({ configFile: join(TAB, 'vite.config.ts'), logLevel: 'warn' });
}

const missingChromium = chromiumMissing();

describe('the Dashboard tab in a browser', () => {
  let db: TestDb;
  let server: RouteServer;
  let browser: BrowserContext;
  let profile: string;

  // The note reaches the prerequisites reporter, which prints it after the summary.
  beforeEach((ctx) => {
    if (missingChromium) ctx.skip(missingChromium);
  });

  beforeAll(async () => {
    if (missingChromium) return;
    mkdirSync(SHOTS, { recursive: true });
    await ensureBuilt();
    db = await createTestDb('sqlite');
    await seedDashboard(db.kysely, new Date());
    await db.kysely
      .insertInto('autopilot_rules')
      .values({
        id: 'r-locked',
        tenant_id: T1,
        mailbox_id: 'mb-support',
        kind: 'address',
        match_value: 'vip@contoso.com',
        targets_json: '[]',
        owner_id: ADELE.oid,
        owner_name: ADELE.name,
        created_at: new Date().toISOString(),
        active: 1,
        turned_off_by: null,
        turned_off_at: null,
      })
      .execute();
    // support@'s first card failed for good: the bot was removed from its channel.
    await insertEmailJob(db.kysely, 'j-failed-card', T1, 'e1', new Date(Date.now() - 30 * 60_000).toISOString());
    server = await startRouteServer({ staticDir: DIST });
    const issuer = await createTabIssuer({
      clientId: CLIENT_ID,
      baseUrl: server.baseUrl,
      tenantId: T1,
      users: [ADELE, ALEX, MEGAN, DIEGO],
    });
    server.mountOpen(issuer.handlers);
    const verifier = createSsoVerifier({ clientId: CLIENT_ID, tenantId: T1, openIdMetadataUrl: issuer.metadataUrl });
    const routes = tabRoutes({
      db: db.kysely,
      engine: db.engine,
      recordUrl: (type, id) => `https://123456.app.netsuite.com/app/${type}.nl?id=${id}`,
      isAdmin: async (i) => i.oid === MEGAN.oid,
      teamsOf: async (i, groups) => (i.oid === DIEGO.oid ? { teams: [], problem: null } : inEveryTeam(i, groups)),
      turnOffRule: async (_t, ruleId) => {
        if (ruleId === 'r-locked')
          throw new MailroomError('forbidden', 'Rules for vip@contoso.com are locked by your admin.');
        await db.kysely.updateTable('autopilot_rules').set({ active: 0 }).where('id', '=', ruleId).execute();
      },
      retrySave: async () => undefined,
      releaseClaim: async (tenantId, emailId) => {
        await db.kysely
          .deleteFrom('claims')
          .where('tenant_id', '=', tenantId)
          .where('email_id', '=', emailId)
          .execute();
      },
      queue: new JobQueue(db),
      log: pino({ level: 'silent' }),
    });
    server.mountAuthed(routes, (b) => verifier.verify(b));
    profile = mkdtempSync(join(tmpdir(), 'mailroom-chromium-'));
    // A fresh profile per run: playwright passes it to chromium as --user-data-dir.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      viewport: { width: 1400, height: 900 },
      headless: true,
      args: CHROMIUM_ARGS,
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.drop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  async function open(query: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/tab/?${query}`);
    await page.getByText(/Signed in as/).waitFor({ timeout: 15_000 });
    return page;
  }

  it('tells someone in no mailbox’s team why the views hold only their own rows, rather than a blank page', async () => {
    const page = await open('user=diego');
    await page.getByText("You are not a member of a team that gets a watched mailbox's mail").waitFor();
    await page.getByText('No saved emails match.').waitFor();
    expect(await page.getByText('Printer on fire').count()).toBe(0);
    await page.close();
  });

  it('keeps the gzipped JavaScript within its budget', () => {
    const out = execFileSync(process.execPath, [join(TAB, 'scripts/check-size.mjs')], { encoding: 'utf8' });
    expect(out).toMatch(/tab JS gzipped: [\d.]+ KB \(budget 250\.0 KB\)/);
  });

  it('renders the saves, searches them and filters by status', async () => {
    const page = await open('user=adele');
    const table = page.getByRole('table', { name: 'Saved emails' });
    await expect.poll(() => table.getByRole('row').count()).toBe(5);
    await expect
      .poll(() => page.getByRole('link', { name: 'Open Case 77: printer in NetSuite' }).getAttribute('href'))
      .toBe('https://123456.app.netsuite.com/app/supportcase.nl?id=77');
    await page.screenshot({ path: join(SHOTS, 'dashboard-light.png'), fullPage: true });

    await page.getByRole('searchbox', { name: 'Search by subject, sender or record name' }).fill('fabrikam inc');
    await expect.poll(() => table.getByRole('row').count()).toBe(3);
    await page.getByRole('searchbox').fill('');
    await page.getByLabel('Status').selectOption('failed');
    await expect.poll(() => table.getByRole('row').count()).toBe(2);
    await expect(table.getByRole('button', { name: 'Retry saving "Printer on fire"' }).isVisible()).resolves.toBe(true);

    // A failed save says why in words on the row, not only on hover.
    await table.getByText('The NetSuite role cannot create messages.').waitFor();
    await page.close();
  });

  it('cuts a long subject to two lines with the whole of it on hover, and keeps each date on one line', async () => {
    const long = `Quote for 50 chairs, ${'and the matching desks for the new Lisbon office '.repeat(6)}`.trim();
    await db.kysely.updateTable('emails').set({ subject: long }).where('id', '=', 'e3').execute();
    try {
      const page = await browser.newPage();
      await page.setViewportSize({ width: 1100, height: 900 });
      await page.goto(`${server.baseUrl}/tab/?user=adele`);
      const table = page.getByRole('table', { name: 'Saved emails' });
      // Screen readers get the whole subject from the link's name; the page keeps the whole text too.
      const link = table.getByRole('link', { name: `Open "${long}" in Outlook` }).first();
      await link.waitFor({ timeout: 15_000 });
      const box = () =>
        link.evaluate((el) => ({
          height: el.clientHeight,
          line: Number.parseFloat(getComputedStyle(el).lineHeight),
          cut: el.scrollHeight > el.clientHeight,
        }));
      const cut = await box();
      expect(cut.cut).toBe(true);
      expect(cut.height).toBeLessThanOrEqual(Math.ceil(cut.line * 2) + 1);
      expect(await link.textContent()).toBe(long);

      // Hovering gives the whole subject as the link's tooltip; a subject that fits gets none.
      await link.hover();
      await expect.poll(() => link.getAttribute('title')).toBe(long);
      const short = table.getByRole('link', { name: 'Open "Printer on fire" in Outlook' }).first();
      await short.hover();
      expect(await short.getAttribute('title')).toBeNull();
      // Reached by keyboard, the whole subject shows in place.
      await link.focus();
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Tab');
      await expect.poll(async () => (await box()).cut).toBe(false);

      // The table is narrow enough here for a date to wrap if it could.
      const dates = await table.getByRole('row').evaluateAll((rows) =>
        rows.slice(1).map((row) => {
          // How many lines the first cell's text takes: its boxes' distinct bottoms.
          const range = document.createRange();
          range.selectNodeContents(row.querySelector('td') as Element);
          return new Set([...range.getClientRects()].map((r) => Math.round(r.bottom))).size;
        }),
      );
      expect(dates.length).toBe(4);
      expect(dates.every((n) => n === 1)).toBe(true);
      await page.close();
    } finally {
      await db.kysely.updateTable('emails').set({ subject: 'Quote for 50 chairs' }).where('id', '=', 'e3').execute();
    }
  });

  it('shows why the API refused a search, not "no saved emails match", and no rows from before', async () => {
    const page = await open('user=adele');
    const table = page.getByRole('table', { name: 'Saved emails' });
    await expect.poll(() => table.getByRole('row').count()).toBe(5);
    await page.getByRole('searchbox', { name: 'Search by subject, sender or record name' }).fill('chairs '.repeat(430));
    await page
      .getByRole('alert')
      .getByText(/q: .*at most 200 character/)
      .waitFor();
    expect(await page.getByText('No saved emails match.').count()).toBe(0);
    expect(await table.getByRole('row').count()).toBe(1);
    // Back to a search the API takes: the rows and the empty state behave as before.
    await page.getByRole('searchbox').fill('nothing like this');
    await page.getByText('No saved emails match.').waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.close();
  });

  it('names every control and link, in every view', async () => {
    const page = await open('user=adele');
    for (const view of ['Associations', 'Autopilot', 'Mailboxes', 'Claims', 'Activity']) {
      await page.getByRole('tab', { name: view }).click();
      await page.getByRole('tabpanel').waitFor();
      await expect.poll(() => page.getByText(/Loading/).count()).toBe(0);
      const unnamed = await page.$$eval('input, select, button, a, [role="tab"]', (els) =>
        els
          .filter((el) => {
            const labels = (el as HTMLInputElement).labels;
            return !(
              el.getAttribute('aria-label') ||
              el.getAttribute('aria-labelledby') ||
              labels?.length ||
              el.textContent?.trim()
            );
          })
          .map((el) => el.outerHTML.slice(0, 120)),
      );
      expect(unnamed, view).toEqual([]);
    }
    await page.close();
  });

  it('turns off a rule as its owner, and refuses a non-owner', async () => {
    const page = await open('user=adele');
    // Keyboard only: focus the view tabs, arrow to Autopilot, select it.
    await page.getByRole('tab', { name: 'Associations' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    const table = page.getByRole('table', { name: 'Autopilot rules' });
    await table.waitFor();
    const others = table.getByRole('button', { name: 'Turn off autopilot for thread "Printer on fire"' });
    expect(await others.getAttribute('aria-disabled')).toBe('true');
    // The reason is on screen and read out with the button.
    const why = await others.getAttribute('aria-describedby');
    expect(await page.locator(`[id="${why}"]`).textContent()).toBe(
      "Only Alex Wilber, an owner of this mailbox's team or a Mailroom admin can turn this off.",
    );
    const mine = table.getByRole('button', { name: 'Turn off autopilot for cy@tailspin.com' });
    expect(await mine.getAttribute('aria-disabled')).toBeNull();
    await mine.click();
    await page.getByText('Autopilot for cy@tailspin.com is off.').waitFor();
    await expect.poll(() => mine.count()).toBe(0);
    await table.getByRole('button', { name: 'Turn off autopilot for vip@contoso.com' }).click();
    await page.getByRole('alert').getByText('Rules for vip@contoso.com are locked by your admin.').waitFor();
    await page.close();

    const alex = await open('user=alex');
    await alex.getByRole('tab', { name: 'Autopilot' }).click();
    const own = alex.getByRole('button', { name: 'Turn off autopilot for thread "Printer on fire"' });
    await own.waitFor();
    expect(await own.getAttribute('aria-disabled')).toBeNull();
    expect(
      await alex.getByRole('button', { name: 'Turn off autopilot for vip@contoso.com' }).getAttribute('aria-disabled'),
    ).toBe('true');
    await alex.close();
  });

  it('follows the dark theme outside Teams and shows mailbox health with fix-it steps', async () => {
    const page = await open('user=megan&theme=dark');
    const bg = await page.locator('main').evaluate((el) => getComputedStyle(el).backgroundColor);
    const [r = 255, g = 255, b = 255] = (bg.match(/\d+/g) ?? []).map(Number);
    expect(r + g + b).toBeLessThan(150);
    await expect.poll(() => page.getByRole('table', { name: 'Saved emails' }).getByRole('row').count()).toBe(5);
    await page.screenshot({ path: join(SHOTS, 'dashboard-dark.png'), fullPage: true });
    await page.getByRole('tab', { name: 'Mailboxes' }).click();
    await page.getByText(/Run \/watch support@contoso.com in its channel/).waitFor();
    const support = page.getByRole('group', { name: 'Mailbox support@contoso.com' });
    await support
      .getByText(/1 email has no card in the channel\. The newest, .* could not post its email’s card/)
      .waitFor();
    await support.getByText(/Check that Mailroom is still installed in the team and channel/).waitFor();
    const sales = page.getByRole('group', { name: 'Mailbox sales@contoso.com' });
    expect(await sales.getByText(/could not post/).count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'dashboard-mailboxes-dark.png'), fullPage: true });
    await page.close();
  });

  it("lets an admin try a mailbox's failed email jobs again, busy while it runs, and shows a member no button", async () => {
    const alex = await open('user=alex');
    await alex.getByRole('tab', { name: 'Mailboxes' }).click();
    const problem = /1 email has no card in the channel/;
    await alex.getByRole('group', { name: 'Mailbox support@contoso.com' }).getByText(problem).waitFor();
    expect(await alex.getByRole('button', { name: /Try the failed email jobs/ }).count()).toBe(0);
    await alex.close();

    const page = await open('user=megan');
    await page.getByRole('tab', { name: 'Mailboxes' }).click();
    const support = page.getByRole('group', { name: 'Mailbox support@contoso.com' });
    const button = support.getByRole('button', { name: 'Try the failed email jobs of support@contoso.com again' });
    // The request is held until the button has been seen busy: a second click cannot go out meanwhile.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/api/tab/mailboxes/*/retry-failed', async (route) => {
      await held;
      await route.continue();
    });
    await support.screenshot({ path: join(SHOTS, 'dashboard-try-again.png') });
    await button.click();
    await expect.poll(() => button.isDisabled()).toBe(true);
    expect(await button.textContent()).toBe('Trying again…');
    release();
    await page.getByRole('status').getByText('Trying 1 failed email job of support@contoso.com again.').waitFor();
    await expect.poll(() => support.getByText(problem).count()).toBe(0);
    expect(await button.count()).toBe(0);
    const job = await db.kysely
      .selectFrom('jobs')
      .select(['status', 'attempts'])
      .where('id', '=', 'j-failed-card')
      .executeTakeFirstOrThrow();
    expect(job).toEqual({ status: 'queued', attempts: 0 });
    await page.close();
  });

  it('lets an admin release a claim someone left, from the Claims view', async () => {
    const page = await open('user=megan');
    await page.getByRole('tab', { name: 'Claims' }).click();
    const release = page.getByRole('button', { name: 'Release "Renewal question" from Alex Wilber' });
    await release.click();
    await page.getByText('Released "Renewal question" from Alex Wilber; its card is open again.').waitFor();
    await expect.poll(() => release.count()).toBe(0);
    await page.close();
  });

  it("opened in a team, shows that team's mailboxes, and all of them at the flick of a switch", async () => {
    await db.kysely.updateTable('mailboxes').set({ team_id: 'team-sales' }).where('id', '=', 'mb-sales').execute();
    try {
      const page = await open('user=adele&team=team-sales&teamName=Sales%20Team');
      const table = page.getByRole('table', { name: 'Saved emails' });
      await expect.poll(() => table.getByRole('row').count()).toBe(3);
      const all = page.getByRole('switch', { name: "Only Sales Team's mailboxes" });
      expect(await all.isChecked()).toBe(true);
      await all.click();
      await expect.poll(() => table.getByRole('row').count()).toBe(5);
      await page.close();
    } finally {
      await db.kysely.updateTable('mailboxes').set({ team_id: 'team-1' }).where('id', '=', 'mb-sales').execute();
    }
  });

  it('changes theme live, without a reload, when the scheme it follows changes', async () => {
    const page = await browser.newPage();
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${server.baseUrl}/tab/?user=megan`);
    await page.getByText(/Signed in as/).waitFor({ timeout: 15_000 });
    const brightness = async () => {
      const bg = await page.locator('main').evaluate((el) => getComputedStyle(el).backgroundColor);
      return (bg.match(/\d+/g) ?? [])
        .slice(0, 3)
        .map(Number)
        .reduce((a, b) => a + b, 0);
    };
    expect(await brightness()).toBeGreaterThan(600);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(brightness).toBeLessThan(150);
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(brightness).toBeGreaterThan(600);
    await page.close();
  });
});
