import { z } from 'zod';

/**
 * The message a message action was started on, as Teams sends it in `value.messagePayload` (botframework's
 * MessageActionsPayload). Only the fields Mailroom reads; everything is optional, because Teams leaves out
 * what a message does not have.
 * https://learn.microsoft.com/javascript/api/botframework-schema/messageactionspayload
 */
const payloadSchema = z.object({
  id: z.string().optional(),
  createdDateTime: z.string().optional(),
  linkToMessage: z.string().optional(),
  subject: z.string().nullish(),
  from: z
    .object({
      user: z.object({ id: z.string().optional(), displayName: z.string().optional() }).nullish(),
      application: z.object({ id: z.string().optional(), displayName: z.string().optional() }).nullish(),
    })
    .nullish(),
  body: z.object({ contentType: z.string().optional(), content: z.string().optional() }).nullish(),
  attachments: z
    .array(z.object({ contentType: z.string().optional(), content: z.unknown().optional() }).passthrough())
    .nullish(),
});

export type MessagePayload = z.infer<typeof payloadSchema>;

export function messagePayloadOf(value: unknown): MessagePayload | null {
  const raw = (value as { messagePayload?: unknown } | null | undefined)?.messagePayload;
  const parsed = payloadSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

/** Teams sends a card attachment's content as a JSON string in some clients and as an object in others. */
function cardContent(content: unknown): unknown {
  if (typeof content !== 'string') return content;
  try {
    return JSON.parse(content) as unknown;
  } catch (err) {
    if (err instanceof SyntaxError) return null;
    throw err;
  }
}

/** The first `data.emailId` carried by an action anywhere in the card (Action.Execute, ActionSets, ShowCards). */
function findEmailId(node: unknown, depth = 0): string | null {
  if (depth > 12 || typeof node !== 'object' || node === null) return null;
  if (Array.isArray(node)) {
    for (const item of node) {
      const hit = findEmailId(item, depth + 1);
      if (hit) return hit;
    }
    return null;
  }
  const obj = node as Record<string, unknown>;
  const data = obj.data as { emailId?: unknown } | undefined;
  if (typeof obj.type === 'string' && obj.type.startsWith('Action.') && typeof data?.emailId === 'string') {
    if (data.emailId.trim() !== '') return data.emailId;
  }
  for (const key of ['actions', 'body', 'items', 'columns', 'card']) {
    const hit = findEmailId(obj[key], depth + 1);
    if (hit) return hit;
  }
  return null;
}

/** The Mailroom email behind one of our email cards, or null for any other message. */
export function emailIdOnCard(payload: MessagePayload): string | null {
  for (const a of payload.attachments ?? []) {
    if (a.contentType !== ADAPTIVE) continue;
    const id = findEmailId(cardContent(a.content));
    if (id) return id;
  }
  return null;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** The text of a Teams message body: tags dropped, line breaks kept, entities decoded. */
export function plainTextOf(payload: MessagePayload): string {
  const content = payload.body?.content ?? '';
  const html = payload.body?.contentType === 'text' ? null : content;
  if (html === null) return content.trim();
  return html
    .replace(/<(br|\/p|\/div|\/li|\/h[1-6])\b[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name.startsWith('#x') || name.startsWith('#X')) return safeChar(Number.parseInt(name.slice(2), 16), whole);
      if (name.startsWith('#')) return safeChar(Number.parseInt(name.slice(1), 10), whole);
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function safeChar(code: number, fallback: string): string {
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}

/** Who wrote the message: a person's display name, or the app that posted it. */
export function authorOf(payload: MessagePayload): string {
  return payload.from?.user?.displayName || payload.from?.application?.displayName || 'Someone';
}
