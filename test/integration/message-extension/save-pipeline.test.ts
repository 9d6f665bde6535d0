import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_IDS } from '../../helpers/bot-framework.js';
import { type Harness, startHarness } from '../../helpers/harness.js';
import { meActivity, taskOf } from './me-activity.js';

const fixturePayload = (meActivity('fetchTask').value as { messagePayload: Record<string, unknown> }).messagePayload;
const ADELE = { oid: 'a3d1c7e2-5b4f-4e0a-9c8d-7f6e5d4c3b2a', name: 'Adele Vance', upn: 'adele@contoso.com' };

/** A Teams message of its own (its id and text), so this file's saves are told apart from the fixture's. */
function message(id: string, text: string): Record<string, unknown> {
  return { ...fixturePayload, id, body: { contentType: 'text', content: text } };
}

describe('messaging extension: a Teams message saved goes through the save command and jobs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  const get = async (path: string) => {
    const token = await h.tabToken(ADELE);
    const res = await fetch(`${h.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as { items: Array<Record<string, unknown>> };
  };
  const rows = (table: 'associations' | 'jobs' | 'teams_messages' | 'audit_log') =>
    h.mailroom.db.kysely.selectFrom(table).selectAll().execute();

  it('two identical saves at once make one NetSuite message, listed once on the Dashboard and in the audit', async () => {
    const messagePayload = message('1763650000001', 'Crate 7731 left the dock at noon');
    const submit = () => h.send(meActivity('submitAction', { messagePayload }));
    const answers = (await Promise.all([submit(), submit()])).map((r) => String(taskOf(r.body).value));
    expect(answers.sort()).toEqual([
      'Already saved to Fabrikam, Inc. (Customer) by Adele Vance; nothing new was created.',
      'Saved the message to Fabrikam, Inc. (Customer).',
    ]);
    await h.settle();

    const saved = h.sandbox.netsuite.state.messages().filter((m) => String(m.fields.message).includes('Crate 7731'));
    expect(saved).toHaveLength(1);
    expect(saved[0]?.fields.entity).toBe('101');

    const dashboard = await get(`/api/tab/associations?team=${encodeURIComponent(FIXTURE_IDS.teamId)}`);
    const listed = dashboard.items.filter((r) => String(r.subject).includes('Crate 7731'));
    expect(listed).toEqual([
      expect.objectContaining({
        mailbox: null,
        status: 'saved',
        mode: 'one-time',
        savedBy: { id: ADELE.oid, name: 'Adele Vance' },
        record: expect.objectContaining({ type: 'customer', id: '101' }),
        outlookUrl: expect.stringContaining('https://teams.microsoft.com/l/message/'),
      }),
    ]);
    // The Dashboard's search finds it by its text, as it finds an email by its subject.
    const found = await get('/api/tab/associations?q=crate%207731');
    expect(found.items.map((r) => r.subject)).toEqual([expect.stringContaining('Crate 7731')]);
    // Another team's Dashboard does not list it.
    const other = await get('/api/tab/associations?team=19%3Aanother-team%40thread.tacv2');
    expect(other.items.filter((r) => String(r.subject).includes('Crate 7731'))).toEqual([]);

    const activity = await get('/api/tab/activity?action=save');
    const audited = activity.items.filter((r) => String(r.summary).includes('Crate 7731'));
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actor: { id: ADELE.oid, name: 'Adele Vance' }, action: 'save' });
    expect(String(audited[0]?.summary)).toContain('to customer Fabrikam, Inc. (one-time)');
  });

  it('refuses a submit without the message, and keeps, queues and sends nothing', async () => {
    const before = {
      associations: (await rows('associations')).length,
      jobs: (await rows('jobs')).length,
      kept: (await rows('teams_messages')).length,
      netsuite: h.sandbox.netsuite.state.messages().length,
    };
    const { id: _dropped, ...noId } = message('1763650000002', 'Crate 9000');
    const res = await h.send(meActivity('submitAction', { messagePayload: noId }));
    expect(String(taskOf(res.body).value)).toContain('Teams did not send the message to save');
    await h.settle();
    expect({
      associations: (await rows('associations')).length,
      jobs: (await rows('jobs')).length,
      kept: (await rows('teams_messages')).length,
      netsuite: h.sandbox.netsuite.state.messages().length,
    }).toEqual(before);
  });
});
