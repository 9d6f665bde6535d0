import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_IDS, type Harness, startHarness } from '../../helpers/harness.js';
import { validateCard } from '../../helpers/validate-card.js';
import { composeResult, meActivity, taskOf, timed } from './me-activity.js';

const TEAMS_LIMIT_MS = 5_000;
const fixturePayload = (meActivity('fetchTask').value as { messagePayload: Record<string, unknown> }).messagePayload;

/** The payload Teams sends for a message the bot posted: Mailroom's email card, content as a JSON string. */
function emailCardPayload(card: unknown): Record<string, unknown> {
  return {
    ...fixturePayload,
    id: '1763649000001',
    from: { user: null, application: { id: FIXTURE_IDS.appId, displayName: 'Mailroom' } },
    body: { contentType: 'html', content: '<attachment id="a1"></attachment>' },
    attachments: [{ id: 'a1', contentType: 'application/vnd.microsoft.card.adaptive', content: JSON.stringify(card) }],
  };
}

describe('messaging extension: the "Save to NetSuite" message action', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('opens a dialog with the record picker (typeahead) and a Save button', async () => {
    const res = await h.send(meActivity('fetchTask'));
    expect(res.status).toBe(200);
    const task = taskOf(res.body);
    expect(task.type).toBe('continue');
    const card = (task.value as { card: { content: Record<string, unknown> } }).card.content;
    expect(validateCard(card)).toEqual([]);
    const text = JSON.stringify(card);
    expect(text).toContain('"dataset":"netsuite.records"');
    expect(text).toContain('Action.Submit');
    expect(text).toContain('Megan Bowen');
  });

  it('saves an ordinary message once, with its text, author and link, even when submitted twice', async () => {
    h.sandbox.netsuite.setLatency(300);
    try {
      const first = await timed(h.send(meActivity('submitAction')));
      expect(first.ms).toBeLessThan(TEAMS_LIMIT_MS);
      expect(taskOf(first.value.body)).toEqual({
        type: 'message',
        value: 'Saved the message to Fabrikam, Inc. (Customer).',
      });
      const again = await h.send(meActivity('submitAction'));
      expect(String(taskOf(again.body).value)).toContain('Already saved to Fabrikam, Inc. (Customer)');
    } finally {
      h.sandbox.netsuite.setLatency(0);
    }
    const saved = h.sandbox.netsuite.state
      .messages()
      .filter((m) => String(m.fields.subject).startsWith('Teams message'));
    expect(saved).toHaveLength(1);
    const f = saved[0]?.fields ?? {};
    expect(f.entity).toBe('101');
    expect(String(f.message)).toContain('pallet for order 1042 arrives Friday &amp; she wants a call back');
    expect(String(f.message)).toContain('Megan Bowen');
    expect(String(f.message)).toContain('https://teams.microsoft.com/l/message/');
    expect(String(f.subject)).toContain('Megan Bowen');
    expect(f.authoremail).toBe('megan@contoso.com');
  });

  it('asks for a record when none was picked', async () => {
    const res = await h.send(meActivity('submitAction', { data: { records: '' } }));
    expect(String(taskOf(res.body).value)).toContain('Pick at least one record');
  });

  it("saves the email behind one of Mailroom's cards once, through the card's own exactly-once path", async () => {
    await h.watch('support@contoso.com');
    const before = h.connector.posts.length;
    h.sandbox.graph.deliver({ to: ['support@contoso.com'], from: 'ana@fabrikam.com', subject: 'Pallet damaged again' });
    await h.settle();
    const post = h.connector.posts.slice(before).find((p) => p.op === 'thread');
    const card = (post?.activity.attachments as Array<{ content: unknown }> | undefined)?.[0]?.content;
    expect(card).toBeDefined();
    const messagePayload = emailCardPayload(card);

    const dialog = taskOf((await h.send(meActivity('fetchTask', { messagePayload }))).body);
    const dialogCard = (dialog.value as { card: { content: unknown } }).card.content;
    expect(validateCard(dialogCard)).toEqual([]);
    expect(JSON.stringify(dialogCard)).toContain('Pallet damaged again');
    const emailId = JSON.stringify(dialogCard).match(/"emailId":"([^"]+)"/)?.[1];
    expect(emailId).toBeTruthy();

    const submit = (data: Record<string, unknown>) =>
      h.send(meActivity('submitAction', { messagePayload, data: { records: 'customer:101', ...data } }));
    const first = await timed(submit({ emailId: '' }));
    expect(first.ms).toBeLessThan(TEAMS_LIMIT_MS);
    expect(String(taskOf(first.value.body).value)).toContain(
      'Saving "Pallet damaged again" to Fabrikam, Inc. (Customer)',
    );
    const second = await submit({ emailId });
    expect(String(taskOf(second.body).value)).toContain('Already saved to Fabrikam, Inc. (Customer) by Adele Vance');
    await h.settle();
    const saved = h.sandbox.netsuite.state.messages().filter((m) => m.fields.subject === 'Pallet damaged again');
    expect(saved).toHaveLength(1);
    expect(saved[0]?.fields.entity).toBe('101');
  });

  it('shows the records the user saved to most recently when the search opens (initialRun)', async () => {
    const res = await h.send(meActivity('initialRun'));
    const result = composeResult(res.body);
    expect(result.type).toBe('result');
    expect(result.attachments.length).toBeGreaterThan(0);
    expect(JSON.stringify(result.attachments[0]?.content)).toContain('Fabrikam, Inc.');
    for (const a of result.attachments) expect(validateCard(a.content)).toEqual([]);

    const stranger = meActivity('initialRun');
    stranger.from = {
      id: '29:someone-else',
      name: 'Nestor Wilke',
      aadObjectId: 'f0e1d2c3-b4a5-4968-8776-655443322110',
    };
    const none = composeResult((await h.send(stranger)).body);
    expect(none.type).toBe('message');
  });
});
