import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Issue 12 §1: REST's `message` is read-only and `!attach` is not documented for messages, so no code path may
// POST a message or attach through REST; saves go to the SuiteApp's RESTlet (docs/wire.md R01).

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('Mailroom writes nothing through REST records', () => {
  it('names no REST message write, no document-service upload and no !attach anywhere in bot/src', () => {
    const hits = sources('bot/src').flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      return [/record\/v1\/message/, /document\/v1\/file/, /!attach/]
        .filter((re) => re.test(text))
        .map((re) => `${f}: ${re.source}`);
    });
    expect(hits).toEqual([]);
  });
});
