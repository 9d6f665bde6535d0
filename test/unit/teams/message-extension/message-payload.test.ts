import { describe, expect, it } from 'vitest';
import {
  emailIdOnCard,
  messagePayloadOf,
  plainTextOf,
} from '../../../../bot/src/teams/message-extension/message-payload.js';
import { teamsMessageInput } from '../../../../bot/src/teams/message-extension/teams-message-input.js';

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

  it('gives the same NetSuite externalId for the same message and record, and another for another record', () => {
    const payload = { id: '1763648123456', body: { contentType: 'text', content: 'Hello' } };
    const rec = { type: 'customer' as const, id: '101', name: 'Fabrikam' };
    const now = new Date('2025-11-20T14:00:00Z');
    const a = teamsMessageInput('t1', '19:abc@thread.tacv2;messageid=1', payload, rec, now, 'x@contoso.com');
    const b = teamsMessageInput('t1', '19:abc@thread.tacv2', payload, rec, new Date(), 'y@contoso.com');
    const c = teamsMessageInput('t1', '19:abc@thread.tacv2', payload, { ...rec, id: '102' }, now, 'x@contoso.com');
    expect(a.externalId).toBe(b.externalId);
    expect(a.externalId).not.toBe(c.externalId);
    expect(a.externalId).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});
