import { describe, expect, it } from 'vitest';
import { pageOf } from '../../../bot/src/sandbox/graph-emulator/paging.js';

const LINK = 'http://127.0.0.1:1/v1.0/teams/g1/members';
const items = Array.from({ length: 250 }, (_, i) => i);

describe("the Graph emulator's paging of directory collections", () => {
  it('answers 100 by default and links the rest with $top and $skiptoken, until the last page', () => {
    const first = pageOf(new URLSearchParams(), items, LINK);
    expect(first.items).toEqual(items.slice(0, 100));
    const next = first.more['@odata.nextLink'] ?? '';
    expect(next).toBe(`${LINK}?$top=100&$skiptoken=100`);
    const second = pageOf(new URL(next).searchParams, items, LINK);
    expect(second.items).toEqual(items.slice(100, 200));
    const last = pageOf(new URL(second.more['@odata.nextLink'] ?? '').searchParams, items, LINK);
    expect(last.items).toEqual(items.slice(200));
    expect(last.more).toEqual({});
  });

  it('caps $top at 999 and reads a nonsense $top as the default', () => {
    expect(pageOf(new URLSearchParams({ $top: '5000' }), Array(1200).fill(0), LINK).items).toHaveLength(999);
    expect(pageOf(new URLSearchParams({ $top: 'many' }), items, LINK).items).toHaveLength(100);
  });
});
