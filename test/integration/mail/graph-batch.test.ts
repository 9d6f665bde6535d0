import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GraphMailService } from '../../../bot/src/mail/graph-client.js';
import type { GraphEmulator } from '../../../bot/src/sandbox/graph-emulator/index.js';
import { caught, emulator, SUPPORT_ID, service } from './graph-test-kit.js';

describe('message reads batched with JSON batching (docs/wire.md G24)', () => {
  let emu: GraphEmulator;
  let mail: GraphMailService;
  const deliver = (subject: string) =>
    emu.deliver({ to: 'support@contoso.com', from: 'ana@fabrikam.com', subject })[0]?.id ?? '';
  const batches = () => emu.state.requests.filter((r) => r.path === '/v1.0/$batch');
  const reads = (id: string) => emu.state.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/${id}`));

  beforeEach(async () => {
    emu = await emulator();
    mail = service(emu);
  });
  afterEach(async () => {
    await emu.close();
  });

  it('reads messages asked for together in one batch, each by its immutable id with the fields asked', async () => {
    const ids = ['One', 'Two', 'Three'].map(deliver);
    const got = await Promise.all(ids.map((id) => mail.getMessage(SUPPORT_ID, id)));
    expect(got.map((m) => m?.subject)).toEqual(['One', 'Two', 'Three']);
    expect(got.map((m) => m?.graphMessageId)).toEqual(ids);
    expect(batches()).toHaveLength(1);
    for (const id of ids) {
      const [read] = reads(id);
      expect(read?.headers.prefer).toContain('IdType="ImmutableId"');
      expect(read?.query).toContain('%24select=id%2CinternetMessageId');
    }
  });

  it('reads a lone message with a plain GET, as before', async () => {
    const id = deliver('Alone');
    expect((await mail.getMessage(SUPPORT_ID, id))?.subject).toBe('Alone');
    expect(batches()).toHaveLength(0);
    expect(reads(id)).toHaveLength(1);
  });

  it('answers null for the one message that is gone (404 in its item), and the others normally', async () => {
    const id = deliver('Still here');
    const [gone, here] = await Promise.all([
      mail.getMessage(SUPPORT_ID, 'AAMkAGgone'),
      mail.getMessage(SUPPORT_ID, id, { withBody: true }),
    ]);
    expect(gone).toBeNull();
    expect(here?.subject).toBe('Still here');
    expect(here?.body).toBeDefined();
    expect(batches()).toHaveLength(1);
  });

  it('sends a throttled item again after its own Retry-After, while the others are already answered', async () => {
    const ids = ['A', 'B', 'C'].map(deliver);
    emu.faults.throttle(1, 429, 0);
    const got = await Promise.all(ids.map((id) => mail.getMessage(SUPPORT_ID, id)));
    expect(got.map((m) => m?.subject)).toEqual(['A', 'B', 'C']);
    expect(emu.state.requests.map((r) => r.status).filter((s) => s === 429)).toHaveLength(1);
    expect(reads(ids[0] ?? '')).toHaveLength(2);
    expect(reads(ids[1] ?? '')).toHaveLength(1);
  });

  it('ends with graph_throttled for items Graph keeps throttling, so their jobs wait and try again', async () => {
    const ids = ['X', 'Y'].map(deliver);
    emu.faults.throttle(100, 429, 0);
    const results = await Promise.all(ids.map((id) => caught(mail.getMessage(SUPPORT_ID, id))));
    expect(results.map((e) => e.code)).toEqual(['graph_throttled', 'graph_throttled']);
    expect(batches().length).toBeGreaterThanOrEqual(1);
  });

  it('reports an item refused for access (403) with the Exchange admin step, the others unharmed', async () => {
    const id = deliver('Support mail');
    const [sales] = emu.deliver({ to: 'sales@contoso.com', from: 'ana@fabrikam.com', subject: 'Sales mail' });
    emu.faults.denyAccess('sales@contoso.com');
    const [denied, ok] = await Promise.allSettled([
      caught(mail.getMessage(sales?.userId ?? '', sales?.id ?? '')),
      mail.getMessage(SUPPORT_ID, id),
    ]);
    expect(denied.status === 'fulfilled' ? denied.value.code : null).toBe('graph_access_denied');
    expect(ok.status === 'fulfilled' ? ok.value?.subject : null).toBe('Support mail');
  });
});
