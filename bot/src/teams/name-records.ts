import type { RecordRef, RecordSuggestion } from '../core/ports.js';
import { recordTypeLabel } from '../core/record-type-label.js';
import type { NetSuiteRecords } from '../netsuite/index.js';
import type { RecordKey } from './actions.js';

/** Names for the picked records: from the card's suggestions, else NetSuite (briefly), else the type and id. */
export async function nameRecords(
  records: NetSuiteRecords,
  keys: RecordKey[],
  suggestions: RecordSuggestion[],
): Promise<RecordRef[]> {
  return Promise.all(
    keys.map(async (k) => {
      const known = suggestions.find((s) => s.type === k.type && s.id === k.id);
      if (known) return { type: k.type, id: k.id, name: known.name };
      const summary = await Promise.race([
        records.getRecordSummary(k.type, k.id).catch(() => null),
        new Promise<null>((r) => setTimeout(() => r(null), 1500)),
      ]);
      return { type: k.type, id: k.id, name: summary?.name ?? `${recordTypeLabel(k.type)} #${k.id}` };
    }),
  );
}
