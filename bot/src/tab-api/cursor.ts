import { type SqlBool, sql } from 'kysely';
import { z } from 'zod';
import { MailroomError } from '../core/errors.js';

/**
 * An opaque keyset cursor over (timestamp, id), newest first. Rows inserted after the first page carry a later
 * timestamp, so they sort before the cursor and never shift the pages still to come: no duplicates, no gaps.
 */
export interface Cursor {
  at: string;
  id: string | number;
}

const shape = z.tuple([z.string().min(1), z.union([z.string().min(1), z.number().int()])]);

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.at, c.id]), 'utf8').toString('base64url');
}

export function decodeCursor(raw: string): Cursor {
  try {
    const [at, id] = shape.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return { at, id };
  } catch (err) {
    throw new MailroomError('bad_request', 'Invalid request: cursor is not one this API returned.', { cause: err });
  }
}

/** An empty query parameter (`?q=`) counts as not given. */
export const blank = (v: unknown) => (v === '' ? undefined : v);

export const pageSize = z.coerce.number().int().min(1).max(100).default(50);

/**
 * `team`: a Teams team id (`19:…@thread.tacv2`, TeamsJS `team.internalId`). A tab opened in a team narrows each view
 * to the mailboxes whose cards go to that team; a view, not a permission (the tenant is the boundary).
 */
export const teamParam = z.preprocess(blank, z.string().max(200).optional());
export const teamScope = z.object({ team: teamParam });

/** An ISO date (2026-11-22) or date-time; `to` on a bare date means the end of that day. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/, 'must be a date like 2026-11-22 or 2026-11-22T10:00:00Z');

export function endOfDay(to: string): string {
  return to.length === 10 ? `${to}T23:59:59.999Z` : to;
}

/** Escapes LIKE wildcards so a search for "50%" finds the text, not everything. */
export function likePattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A person filter: their exact id, or part of their name in any case ("wilb" finds Alex Wilber). */
export function idOrPartOfName(idColumn: string, nameColumn: string, value: string) {
  return sql<SqlBool>`(${sql.ref(idColumn)} = ${value} or lower(${sql.ref(nameColumn)}) like ${likePattern(value)} escape '\\')`;
}
