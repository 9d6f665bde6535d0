/**
 * A NUL, or half of a UTF-16 surrogate pair: PostgreSQL refuses both in text ("invalid byte sequence"), SQLite keeps
 * them and every later reader chokes. Request input holding one is refused at the door with a 400 instead.
 */
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The name of the first field (dotted path) whose key or text holds an unstorable character, or null. */
export function unstorableField(input: unknown, path = '', depth = 0): string | null {
  if (typeof input === 'string') return UNSTORABLE.test(input) ? path || '(value)' : null;
  if (depth > 20 || input === null || typeof input !== 'object') return null;
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    const at = path ? `${path}.${key}` : key;
    if (UNSTORABLE.test(key)) return at;
    const found = unstorableField(value, at, depth + 1);
    if (found) return found;
  }
  return null;
}
