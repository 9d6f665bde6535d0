import { issueDemoLicense } from '../../../bot/src/sandbox/license-keys.js';
import { sandboxPerson } from '../../../bot/src/sandbox/people.js';
import type { Engine } from '../../../bot/src/store/db.js';
import { activity, channelCommand, FIXTURE_IDS, type Harness, startHarness } from '../../helpers/harness.js';

/** Mailroom with a demo license of 5 seats (none assigned) and `admin` (an object id) alone in MAILROOM_ADMINS. */
export async function startLicensedHarness(engine: Engine, admin: string): Promise<Harness> {
  const license = await issueDemoLicense(FIXTURE_IDS.tenantId, { seats: 5 });
  return startHarness({
    engine,
    env: { LICENSE_KEY: license.key, LICENSE_PUBLIC_KEY: license.publicKeyPem, MAILROOM_ADMINS: admin },
  });
}

/** A sandbox person as Teams names them in an activity's `from`: MRI, name and AAD object id. */
function from(key: string) {
  const p = sandboxPerson(key);
  return { id: p.mri, name: p.displayName, aadObjectId: p.oid };
}

/** People of the sandbox tenant (bot/src/sandbox/people.ts): one identity in Teams, Graph and the Dashboard. */
export const PEOPLE = { adele: from('adele'), alex: from('alex'), megan: from('megan') } as const;
export type Person = (typeof PEOPLE)[keyof typeof PEOPLE];

export function cardOf(post: { activity: Record<string, unknown> } | undefined): unknown {
  return (post?.activity.attachments as Array<{ content: unknown }> | undefined)?.[0]?.content;
}

/** `@Mailroom <command>` in the Support channel, as `who`; returns the text of the card Mailroom answered. */
export async function say(h: Harness, command: string, who: Person = PEOPLE.adele): Promise<string> {
  const before = h.connector.posts.length;
  const res = await h.send(channelCommand(command, { from: who }));
  if (res.status !== 200) throw new Error(`/api/messages answered ${res.status}`);
  const reply = h.connector.posts.slice(before).find((p) => p.op === 'reply');
  return JSON.stringify(cardOf(reply) ?? null);
}

/** The same in the personal chat with the bot. */
export async function sayPrivately(h: Harness, command: string, who: Person): Promise<string> {
  const before = h.connector.posts.length;
  await h.send(activity('personalMessage', { text: command, from: who }));
  const reply = h.connector.posts.slice(before).find((p) => p.op === 'reply');
  return JSON.stringify(cardOf(reply) ?? null);
}

/** Clicks an Action.Execute button; returns the card (as JSON text) or the message the clicker sees. */
export async function click(
  h: Harness,
  verb: string,
  data: Record<string, unknown>,
  who: Person = PEOPLE.adele,
): Promise<{ kind: 'card' | 'message'; text: string }> {
  const res = await h.send(
    activity('cardAction', { from: who, value: { action: { type: 'Action.Execute', verb, data } } }),
  );
  if (res.status !== 200) throw new Error(`invoke answered ${res.status}: ${JSON.stringify(res.body)}`);
  const body = res.body as { statusCode?: number; type?: string; value?: unknown };
  if (body.type === 'application/vnd.microsoft.card.adaptive')
    return { kind: 'card', text: JSON.stringify(body.value) };
  return { kind: 'message', text: typeof body.value === 'string' ? body.value : JSON.stringify(body.value) };
}

/** The stored email of a subject in a mailbox. */
export async function emailId(h: Harness, subject: string, mailbox = 'support@contoso.com'): Promise<string> {
  const row = await h.mailroom.db.kysely
    .selectFrom('emails as e')
    .innerJoin('mailboxes as m', 'm.id', 'e.mailbox_id')
    .select('e.id')
    .where('e.subject', '=', subject)
    .where('m.address', '=', mailbox)
    .executeTakeFirst();
  if (!row) throw new Error(`no email "${subject}" in ${mailbox}`);
  return row.id;
}

/** The NetSuite message records the emulator holds for a subject. */
export function netsuiteMessages(h: Harness, subject: string) {
  return h.sandbox.netsuite.state.messages().filter((m) => m.fields.subject === subject);
}

/** The latest version of every card in the channel, as JSON text. */
export function channelCards(h: Harness): string[] {
  return [...h.connector.cards().values()].map((c) => JSON.stringify(c));
}
