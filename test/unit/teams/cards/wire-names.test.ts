import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AutopilotKind,
  CommandVerb,
  Dataset,
  InputId,
  MessageExtensionCommand,
  Verb,
  WIRE,
} from '../../../../bot/src/teams/actions.js';
import { emailCard } from '../../../../bot/src/teams/cards/email-card.js';
import { association, emailView } from './email-view.js';

const root = join(import.meta.dirname, '../../../..');
const cards = join(root, 'bot/src/teams/cards');
const templates = readdirSync(cards).filter((f) => f.endsWith('.json'));

/** Every value of `key` anywhere in a card. */
function valuesOf(node: unknown, key: string, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) valuesOf(n, key, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === key && typeof v === 'string') out.push(v);
      valuesOf(v, key, out);
    }
  }
  return out;
}

describe('one table of wire names', () => {
  it('is the public contract: its values are what Teams, the manifest and old cards send', () => {
    // Written out once here on purpose: changing a value breaks cards already in channels.
    expect(Object.values(Verb).sort()).toEqual(['autopilot', 'claim', 'find', 'refresh', 'release', 'retry', 'save']);
    expect(CommandVerb).toEqual({ moveMailbox: 'moveMailbox' });
    expect(InputId).toEqual({ records: 'records', autopilotKind: 'autopilotKind', find: 'find' });
    expect(Dataset).toEqual({ netsuiteRecords: 'netsuite.records' });
    expect(AutopilotKind).toEqual({ sender: 'sender', thread: 'thread' });
    const manifest = JSON.parse(readFileSync(join(root, 'appPackage/manifest.json'), 'utf8')) as {
      composeExtensions: Array<{ commands: Array<{ id: string }> }>;
    };
    const commands = manifest.composeExtensions.flatMap((c) => c.commands.map((x) => x.id));
    expect(commands.sort()).toEqual(Object.values(MessageExtensionCommand).sort());
  });

  it('is where every card template takes its verbs, input ids and datasets from', () => {
    expect(templates.length).toBeGreaterThan(5);
    for (const file of templates) {
      const template: unknown = JSON.parse(readFileSync(join(cards, file), 'utf8'));
      for (const key of ['verb', 'id', 'dataset']) {
        for (const value of valuesOf(template, key)) expect(value, `${file} ${key}`).toMatch(/^\$\{\$root\.wire\./);
      }
    }
  });

  it("fills the email card's buttons and inputs with the table's values", () => {
    const failed = association({ id: 'as_9', status: 'failed', errorMessage: 'NetSuite refused it.' });
    const card = emailCard(emailView({ associations: [failed] }));
    const verbs = new Set(valuesOf(card, 'verb'));
    for (const verb of [Verb.save, Verb.claim, Verb.autopilot, Verb.retry, Verb.find]) expect(verbs).toContain(verb);
    expect([...verbs].filter((v) => !Object.values(WIRE.verb).includes(v as Verb))).toEqual([]);
    expect(valuesOf(card, 'id').sort()).toEqual(Object.values(InputId).sort());
    expect(valuesOf(card, 'dataset')).toEqual([Dataset.netsuiteRecords]);
    expect(JSON.stringify(card)).not.toContain('${');
  });
});
