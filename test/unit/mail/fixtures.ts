import { readFileSync } from 'node:fs';

/** A Graph payload from test/fixtures/graph/, parsed fresh for each test so one test cannot bend another's. */
export function graphFixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../fixtures/graph/${name}`, import.meta.url), 'utf8')) as T;
}
