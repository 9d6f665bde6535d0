import { describe, expect, it } from 'vitest';
import { MailroomError } from '../../../bot/src/core/errors.js';
import { graphSegment } from '../../../bot/src/mail/graph-path.js';

describe('graphSegment', () => {
  it('encodes an id as one path segment', () => {
    expect(graphSegment('AAk/+x=')).toBe('AAk%2F%2Bx%3D');
    expect(graphSegment('a.b')).toBe('a.b');
    expect(graphSegment('...')).toBe('...');
    // The URL a request is built from keeps it as one segment under its parent.
    expect(new URL(`https://graph.example/v1.0/users/u1/messages/${graphSegment('../x')}`).pathname).toBe(
      '/v1.0/users/u1/messages/..%2Fx',
    );
  });

  it('refuses an empty id and the dot segments a URL parser would resolve against the path before them', () => {
    // `messages/..` would name the user itself.
    expect(new URL('https://graph.example/v1.0/users/u1/messages/..').pathname).toBe('/v1.0/users/u1/');
    for (const id of ['', '.', '..']) {
      expect(() => graphSegment(id)).toThrow(MailroomError);
      expect(() => graphSegment(id)).toThrow(/is not a Graph id/);
    }
  });
});
