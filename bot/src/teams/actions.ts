import { z } from 'zod';
import { MailroomError } from '../core/errors.js';
import { RECORD_TYPES, type RecordType } from '../core/ports.js';

/**
 * The one table of wire names between cards, chat and handlers: card verbs (Action.Execute), input ids, the
 * typeahead dataset and the chat commands. Cards and routes both import from here, so a rename cannot half-happen.
 * https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/overview
 */
export const Verb = {
  save: 'save',
  claim: 'claim',
  release: 'release',
  autopilot: 'autopilot',
  retry: 'retry',
  refresh: 'refresh',
  /** "Find a record": searches NetSuite for the card's find box and answers the card with the results to pick. */
  find: 'find',
} as const;
export type Verb = (typeof Verb)[keyof typeof Verb];

/**
 * Verbs of the cards chat commands answer with (not email cards): routed in app.ts with the turn's channel, which
 * they act on. `moveMailbox` confirms moving a mailbox to the channel where /watch was typed.
 */
export const CommandVerb = { moveMailbox: 'moveMailbox' } as const;

/** Ids of the card inputs; Teams merges their values into the Action.Execute `data`. */
export const InputId = { records: 'records', autopilotKind: 'autopilotKind', find: 'find' } as const;
export type InputId = (typeof InputId)[keyof typeof InputId];

/** Messaging extension command ids, as declared in appPackage/manifest.json's composeExtensions. */
export const MessageExtensionCommand = { search: 'netsuiteSearch', save: 'saveToNetSuite' } as const;

/** The `choices.data` dataset of the records typeahead (`application/search` invoke). */
export const Dataset = { netsuiteRecords: 'netsuite.records' } as const;

/** What the autopilot picker offers on an email card. */
export const AutopilotKind = { sender: 'sender', thread: 'thread' } as const;
export type AutopilotKind = (typeof AutopilotKind)[keyof typeof AutopilotKind];

/**
 * The table as card templates read it, bound into every template (expand-template.ts): a template names
 * `${$root.wire.verb.save}` or `${$root.wire.input.records}`, never the value itself.
 */
export const WIRE = {
  verb: Verb,
  commandVerb: CommandVerb,
  input: InputId,
  dataset: Dataset,
  autopilotKind: AutopilotKind,
} as const;

/** Chat command ids, as typed after the slash. */
export const Command = {
  watch: 'watch',
  unwatch: 'unwatch',
  autopilot: 'autopilot',
  license: 'license',
  help: 'help',
} as const;
export type Command = (typeof Command)[keyof typeof Command];

/**
 * The value of the placeholder choice shown while there are no suggestions. The renderer rejects an
 * Input.ChoiceSet without choices, even one with typeahead, so the card always offers at least this one.
 */
export const NO_RECORD_CHOICE = 'none';

/** A record as a choice value: `customer:42`. Typeahead results must use the same form. */
export function recordChoiceValue(ref: { type: RecordType; id: string }): string {
  return `${ref.type}:${ref.id}`;
}

export interface RecordKey {
  type: RecordType;
  id: string;
}

const recordKey = z
  .string()
  .regex(/^[a-z]+:[^,\s]+$/)
  .transform((v, ctx): RecordKey => {
    const at = v.indexOf(':');
    const type = RECORD_TYPES.find((t) => t === v.slice(0, at));
    if (type === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `unknown record type in ${v}` });
      return z.NEVER;
    }
    return { type, id: v.slice(at + 1) };
  });

/** A multi-select ChoiceSet answers a comma-separated string; the placeholder choice is dropped. */
const recordsInput = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()))
  .transform((parts) => parts.filter((p) => p !== '' && p !== NO_RECORD_CHOICE))
  .pipe(z.array(recordKey));

const emailId = z.string().min(1);

/** The `data` each verb carries, after Teams merged the card's inputs into it. Unknown keys are dropped. */
export const verbData = {
  save: z.object({ emailId, records: recordsInput }),
  claim: z.object({ emailId }),
  release: z.object({ emailId }),
  autopilot: z.object({
    emailId,
    records: recordsInput,
    autopilotKind: z.enum([AutopilotKind.sender, AutopilotKind.thread]).default(AutopilotKind.sender),
  }),
  retry: z.object({ emailId, associationId: z.string().min(1) }),
  refresh: z.object({ emailId }),
  find: z.object({
    emailId,
    find: z
      .string()
      .optional()
      .transform((v) => (v ?? '').trim()),
  }),
} satisfies Record<Verb, z.ZodTypeAny>;

export type VerbData<V extends Verb> = z.output<(typeof verbData)[V]>;

/**
 * Parses an Action.Execute `data` for a verb. Data Mailroom cannot read comes from an old card (or a forged one):
 * it throws card_out_of_date, which answers with the card as it is now.
 */
export function parseVerbData<V extends Verb>(verb: V, data: unknown): VerbData<V> {
  const parsed = verbData[verb].safeParse(data);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(data)').join(', ');
    throw new MailroomError('card_out_of_date', `${verb}: the card's data does not fit (${fields})`);
  }
  return parsed.data as VerbData<V>;
}

/** Whether a verb is one of the email card's. */
export function isVerb(verb: unknown): verb is Verb {
  return (Object.values(Verb) as unknown[]).includes(verb);
}
