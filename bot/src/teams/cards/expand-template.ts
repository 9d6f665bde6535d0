import templating from 'adaptivecards-templating';
import { MailroomError } from '../../core/errors.js';
import { WIRE } from '../actions.js';

/** A card as JSON, ready to send. */
export type CardJson = Record<string, unknown>;

/**
 * Each template parsed once: parsing its `${…}` expressions costs several times the binding, and the SDK binds
 * one instance to many data objects ("Once created, the instance can be bound to different data objects in a
 * loop", Template's constructor). Keyed by the imported template object.
 */
const prepared = new WeakMap<object, templating.Template>();

/**
 * Binds a JSON template to data with adaptivecards-templating. Every template also gets the wire table as
 * `$root.wire`, so verbs, input ids and datasets are written once, in actions.ts.
 * https://learn.microsoft.com/adaptive-cards/templating/sdk
 *
 * The engine leaves a binding it cannot resolve in the card as `${name}`, which a person would then read. We turn
 * that into an error instead: a card builder must pass every field its template names.
 */
export function expandTemplate(template: object, data: object): CardJson {
  const missing: string[] = [];
  const settings = templating.GlobalSettings;
  const previous = settings.getUndefinedFieldValueSubstitutionString;
  // Expansion is synchronous, so swapping the global hook for its duration cannot leak into another card.
  settings.getUndefinedFieldValueSubstitutionString = (path: string) => {
    missing.push(path);
    return '';
  };
  let card: unknown;
  try {
    let t = prepared.get(template);
    if (!t) {
      t = new templating.Template(template);
      prepared.set(template, t);
    }
    card = t.expand({ $root: { ...data, wire: WIRE } });
  } finally {
    if (previous === undefined) delete settings.getUndefinedFieldValueSubstitutionString;
    else settings.getUndefinedFieldValueSubstitutionString = previous;
  }
  if (missing.length > 0) {
    throw new MailroomError('internal', `card template names fields the data lacks: ${missing.join(', ')}`, {
      remedy: 'This is a bug in Mailroom: report it with this message.',
    });
  }
  if (typeof card !== 'object' || card === null) {
    throw new MailroomError('internal', 'card template expanded to nothing');
  }
  return card as CardJson;
}
