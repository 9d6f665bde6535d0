import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { requestSaves, retrySave } from '../../../bot/src/core/save.js';
import { main } from '../../../bot/src/sandbox/cli.js';
import { startNetSuiteEmulator } from '../../../bot/src/sandbox/netsuite-emulator/index.js';
import { type Harness, startHarness } from '../../helpers/harness.js';

const SUPPORT = 'support@contoso.com';
const RECORD = { type: 'customer' as const, id: '101', name: 'Fabrikam, Inc.' };

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('npm run sandbox:netsuite -- --fail-next, and sandbox:email --attach, against a running sandbox', () => {
  let h: Harness;
  let env: NodeJS.ProcessEnv;
  let out: string[];

  beforeAll(async () => {
    h = await startHarness();
    env = {
      SANDBOX_GRAPH_PORT: new URL(h.sandbox.graph.url).port,
      SANDBOX_NETSUITE_PORT: new URL(h.sandbox.netsuite.url).port,
    };
    await h.watch(SUPPORT);
  }, 60_000);
  afterAll(async () => {
    vi.restoreAllMocks();
    await h?.close();
  });

  it('the next save fails once with words that say so, Retry saves it, and its attachment is filed', async () => {
    out = [];
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    const dir = await mkdtemp(join(tmpdir(), 'mailroom-attach-'));
    const file = join(dir, 'po-7781.pdf');
    await writeFile(file, Buffer.from('%PDF-1.4 purchase order 7781'));
    const args = ['--to', SUPPORT, '--from', 'ana@fabrikam.com', '--subject', 'PO 7781', '--attach', file];
    expect(await main(['email', ...args], env)).toBe(0);
    const email = await until('the email to arrive', async () => {
      const row = await h.mailroom.db.kysely
        .selectFrom('emails')
        .select(['id', 'tenant_id', 'internet_message_id'])
        .where('subject', '=', 'PO 7781')
        .executeTakeFirst();
      return row ?? undefined;
    });
    expect(await main(['netsuite', '--fail-next'], env)).toBe(0);
    expect(out.join('\n')).toContain('will refuse the next save, once');

    const before = h.sandbox.netsuite.state.messages().length;
    const actor = { id: 'u1', name: 'Adele Vance' };
    const deps = h.mailroom.saveDeps;
    await requestSaves(
      deps,
      { tenantId: email.tenant_id, emailId: email.id, records: [RECORD], actor, mode: 'one-time' },
      h.mailroom.log,
    );
    const failed = await until('the save to fail', async () => {
      const all = await deps.associations.forMessage(email.tenant_id, email.internet_message_id);
      return all.find((a) => a.status === 'failed');
    });
    expect(failed.errorCode).toBe('netsuite_validation');
    expect(failed.errorMessage).toContain('The sandbox was told to refuse this save');
    expect(h.sandbox.netsuite.state.messages()).toHaveLength(before);

    expect(await retrySave(deps, email.tenant_id, failed.id)).toBe(true);
    await until('the retried save to be saved', async () => {
      const all = await deps.associations.forMessage(email.tenant_id, email.internet_message_id);
      return all.find((a) => a.id === failed.id && a.status === 'saved');
    });
    expect(h.sandbox.netsuite.state.messages()).toHaveLength(before + 1);
    const filed = h.sandbox.netsuite.state.files().find((f) => f.fields.description === 'po-7781.pdf');
    expect(filed?.fields).toMatchObject({ filetype: 'PDF', filesize: 28 });
  }, 90_000);

  it('only the sandbox serves the route, only to POST: elsewhere it is refused and saves are untouched', async () => {
    const plain = await startNetSuiteEmulator({ accountId: 'TSTDRV1', suiteApp: false });
    try {
      const res = await fetch(`${plain.url}/_sandbox/fail-next-save`, { method: 'POST' });
      expect(res.status).toBe(401);
    } finally {
      await plain.close();
    }
    // Another emulator answers it as any unsigned NetSuite call; the sandbox's refuses a GET.
    const get = await fetch(`${h.sandbox.netsuite.url}/_sandbox/fail-next-save`);
    expect(get.status).toBe(404);
    // The GET armed nothing: a save now goes through.
    const args = ['--to', SUPPORT, '--from', 'ana@fabrikam.com', '--subject', 'After a GET'];
    expect(await main(['email', ...args], env)).toBe(0);
    const email = await until('the email to arrive', async () => {
      const row = await h.mailroom.db.kysely
        .selectFrom('emails')
        .select(['id', 'tenant_id', 'internet_message_id'])
        .where('subject', '=', 'After a GET')
        .executeTakeFirst();
      return row ?? undefined;
    });
    const deps = h.mailroom.saveDeps;
    await requestSaves(
      deps,
      {
        tenantId: email.tenant_id,
        emailId: email.id,
        records: [RECORD],
        actor: { id: 'u1', name: 'Adele' },
        mode: 'one-time',
      },
      h.mailroom.log,
    );
    await until('the save to be saved', async () => {
      const all = await deps.associations.forMessage(email.tenant_id, email.internet_message_id);
      return all.find((a) => a.status === 'saved');
    });
  }, 60_000);

  it('--fail-next with nothing running says how to start the sandbox; without the flag it shows the usage', async () => {
    out = [];
    expect(await main(['netsuite', '--fail-next'], { SANDBOX_NETSUITE_PORT: '1' })).toBe(1);
    expect(out.join('\n')).toContain('start it with npm start');
    expect(await main(['netsuite'], env)).toBe(2);
    expect(out.join('\n')).toContain('--fail-next');
  });
});
