import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestSaves } from '../../bot/src/core/save.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { SUPPORT, waitFor } from './support.js';

const RECORDS = [
  { type: 'contact' as const, id: '201', name: 'Ana Ruiz' },
  { type: 'customer' as const, id: '101', name: 'Fabrikam, Inc.' },
];

describe('fault: NetSuite answers 5xx for a while, then recovers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.watch(SUPPORT);
    for (let i = 0; i < 8; i++) {
      h.sandbox.graph.deliver({ to: [SUPPORT], from: 'ana@fabrikam.com', subject: `Outage-${i}` });
    }
    await h.settle(30_000);
  });
  afterAll(async () => h?.close());

  it('completes every queued save exactly once after the outage', async () => {
    const m = h.mailroom;
    const emails = await m.db.kysely.selectFrom('emails').select(['id', 'tenant_id']).execute();
    expect(emails).toHaveLength(8);
    const before = h.sandbox.netsuite.state.messages().length;
    h.sandbox.netsuite.failFor(4_000, 503);
    const actor = { id: 'u1', name: 'Adele Vance' };
    // Each email is saved twice at once (two people clicking), to both records.
    await Promise.all(
      emails.flatMap((e) =>
        [0, 1].map(() =>
          requestSaves(
            m.saveDeps,
            { tenantId: e.tenant_id, emailId: e.id, records: RECORDS, actor, mode: 'one-time' },
            m.log,
          ),
        ),
      ),
    );
    await waitFor(
      async () => {
        const rows = await m.db.kysely.selectFrom('associations').select('status').execute();
        return rows.length === 16 && rows.every((r) => r.status === 'saved');
      },
      40_000,
      'every save to complete',
    );
    const created = h.sandbox.netsuite.state.messages().slice(before);
    expect(created).toHaveLength(16);
    const ext = new Set(created.map((r) => String(r.fields.externalid ?? r.id)));
    expect(ext.size).toBe(16);
    expect(h.sandbox.netsuite.state.counters.requests).toBeGreaterThan(16);
  }, 60_000);
});
