import { describe, expect, it } from 'vitest';
import {
  emailIdOnCard,
  messagePayloadOf,
  plainTextOf,
} from '../../../../bot/src/teams/message-extension/message-payload.js';
import { teamsMessageOf } from '../../../../bot/src/teams/message-extension/teams-message-input.js';

const card = {
  type: 'AdaptiveCard',
  body: [{ type: 'ActionSet', actions: [{ type: 'Action.Execute', verb: 'claim', data: { emailId: 'em_1' } }] }],
};

describe('the message a message action was started on', () => {
  it("finds the email behind one of Mailroom's cards, whether Teams sends the card as a string or an object", () => {
    for (const content of [card, JSON.stringify(card)]) {
      const p = messagePayloadOf({
        messagePayload: { id: '1', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content }] },
      });
      expect(p && emailIdOnCard(p)).toBe('em_1');
    }
  });

  it('finds no email on an ordinary message or a broken card', () => {
    const p = messagePayloadOf({
      messagePayload: {
        id: '1',
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: '{not json' }],
      },
    });
    expect(p && emailIdOnCard(p)).toBeNull();
    expect(messagePayloadOf({})).toBeNull();
  });

  it('keeps the text of an HTML body and drops its markup', () => {
    const p = messagePayloadOf({
      messagePayload: {
        body: {
          contentType: 'html',
          content: '<p>Hi <b>team</b> &amp; co&#33;</p><p>Line<br>two</p><attachment id="x"></attachment>',
        },
      },
    });
    expect(p && plainTextOf(p)).toBe('Hi team & co!\nLine\ntwo');
  });

  it('keys a message by its conversation and id, whatever thread suffix or author address came with it', () => {
    const payload = { id: '1763648123456', body: { contentType: 'text', content: 'Hello' } };
    const now = new Date('2025-11-20T14:00:00Z');
    const a = teamsMessageOf('t1', '19:abc@thread.tacv2;messageid=1', 'team-1', payload, now, 'x@contoso.com');
    const b = teamsMessageOf('t1', '19:abc@thread.tacv2', null, payload, new Date(), 'y@contoso.com');
    const c = teamsMessageOf('t1', '19:abc@thread.tacv2', null, { ...payload, id: '1763648123457' }, now, 'x');
    expect(a.key).toBe('teams:19:abc@thread.tacv2:1763648123456');
    expect(b.key).toBe(a.key);
    expect(c.key).not.toBe(a.key);
    expect(a).toMatchObject({ teamId: 'team-1', bodyHtml: expect.stringContaining('<p>Hello</p>') });
  });
});
