import { MailroomError } from '../core/errors.js';

/**
 * One id as one segment of a Graph URL path. encodeURIComponent leaves dots alone, and a URL parser resolves a
 * segment that is only `.` or `..` (or their %2e spellings, which decode to the same) against the path before it:
 * `/users/{u}/messages/..` names the user, not a message. No Graph id is a dot segment or empty, so one is refused
 * before any request is built from it.
 */
export function graphSegment(id: string): string {
  if (id === '' || id === '.' || id === '..') {
    throw new MailroomError('bad_request', `"${id}" is not a Graph id: it would not name one item in the URL path.`);
  }
  return encodeURIComponent(id);
}
