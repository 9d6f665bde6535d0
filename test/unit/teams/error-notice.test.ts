import { describe, expect, it } from 'vitest';
import { MailroomError } from '../../../bot/src/core/errors.js';
import { errorNotice } from '../../../bot/src/teams/app.js';

describe('the card a refused command answers with', () => {
  it("shows plain words for a service's technical answer, and always a next step", () => {
    const graph = JSON.stringify(
      errorNotice(
        new MailroomError(
          'graph_access_denied',
          'Read the mailbox kind of 5b1c2a3d: 403 ErrorAccessDenied Access is denied.',
          {
            remedy: 'Add the mailbox to the Exchange management scope, then try again.',
          },
        ),
      ),
    );
    expect(graph).toContain('Mailroom is not allowed to read that mailbox');
    expect(graph).toContain('What to do: Add the mailbox to the Exchange management scope');
    expect(graph).not.toContain('403');

    const bare = JSON.stringify(errorNotice(new MailroomError('graph_error', 'List members: 400 BadRequest nope')));
    expect(bare).toContain('Microsoft Graph refused the request');
    expect(bare).toContain('ask your Mailroom admin to check its log');
    expect(bare).not.toContain('BadRequest');
  });

  it('keeps the words of refusals that are already written for people', () => {
    const own = JSON.stringify(
      errorNotice(
        new MailroomError('unknown_mailbox', 'No watched mailbox is called sales@.', {
          remedy: 'Write the full address.',
        }),
      ),
    );
    expect(own).toContain('No watched mailbox is called sales@.');
    expect(JSON.stringify(errorNotice(new Error('boom')))).toContain('Something went wrong');
  });
});
