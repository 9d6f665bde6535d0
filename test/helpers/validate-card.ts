import { createRequire } from 'node:module';
import { JSDOM } from 'jsdom';

/**
 * Checks a card the way Microsoft's own renderer does: `AdaptiveCard.parse` (which reports unknown element and
 * action types) plus `validateProperties()` (missing required properties, duplicate ids, bad values, too many
 * actions, …). Returns every problem as a line of text, so a test asserts `[]`.
 * https://learn.microsoft.com/adaptive-cards/sdk/rendering-cards/javascript/getting-started
 */

// A narrow view of the UMD bundle: importing the package's types would drag its TypeScript sources into our
// typecheck (its `types` entry points at src/*.ts, which our compiler settings reject).
interface ValidationEntry {
  event: number;
  message: string;
}
interface AdaptiveCardsModule {
  ValidationEvent: Record<number, string>;
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): ValidationEntry };
  AdaptiveCard: new () => {
    parse(json: unknown, context: unknown): void;
    validateProperties(): { validationEvents: ValidationEntry[] };
  };
}

let cached: AdaptiveCardsModule | undefined;

function loadRenderer(): AdaptiveCardsModule {
  if (cached) return cached;
  // The UMD bundle touches `window`/`document` while rendering and in a few property setters; give it a DOM.
  const g = globalThis as Record<string, unknown>;
  if (g.window === undefined || g.document === undefined) {
    const dom = new JSDOM('<!doctype html><html><body></body></html>');
    g.window = dom.window;
    g.document = dom.window.document;
  }
  const require = createRequire(import.meta.url);
  cached = require('adaptivecards/dist/adaptivecards.min.js') as AdaptiveCardsModule;
  return cached;
}

/** The event names of adaptivecards' ValidationEvent enum, for readable messages. */
function eventName(ac: AdaptiveCardsModule, event: number): string {
  return ac.ValidationEvent[event] ?? String(event);
}

export function validateCard(card: unknown): string[] {
  const ac = loadRenderer();
  if (typeof card !== 'object' || card === null) return ['the card is not a JSON object'];
  const json = card as Record<string, unknown>;
  if (json.type !== 'AdaptiveCard') return [`the card's type is ${String(json.type)}, not AdaptiveCard`];

  const context = new ac.SerializationContext();
  const parsed = new ac.AdaptiveCard();
  parsed.parse(json, context);

  const errors: string[] = [];
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    errors.push(`parse: ${eventName(ac, e.event)}: ${e.message}`);
  }
  for (const e of parsed.validateProperties().validationEvents) {
    errors.push(`validate: ${eventName(ac, e.event)}: ${e.message}`);
  }
  return errors;
}
