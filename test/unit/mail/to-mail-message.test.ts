import { describe, expect, it } from 'vitest';
import { toMailMessage } from '../../../bot/src/mail/to-mail-message.js';
import { graphFixture } from './fixtures.js';

describe('toMailMessage', () => {
  it('maps a Graph message to the fields a card and a save use', () => {
    const m = toMailMessage(graphFixture('message.json'));
    expect(m).toEqual({
      graphMessageId: 'AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0AZa4xQ2pRRUK2mP8sNK2zJAAAAfWk2AAA=',
      internetMessageId: '<DM6PR11MB4139A1B2C3D4E5F6@DM6PR11MB4139.namprd11.prod.outlook.com>',
      conversationId: 'AAQkADAwATM0MDAAMS1iNTcwLWI2NTEtMDACLTAwCgAQAHn3E8nnOqZBldb4SHvmTzs=',
      subject: 'Order 1042 is late',
      from: { name: 'Ana Trujillo', address: 'ana@fabrikam.com' },
      sender: { name: 'Ana Trujillo', address: 'ana@fabrikam.com' },
      to: [{ name: 'Contoso Support', address: 'support@contoso.com' }],
      cc: [{ name: 'Contoso Sales', address: 'sales@contoso.com' }],
      bcc: [],
      receivedAt: '2026-11-22T09:58:31Z',
      sentAt: '2026-11-22T09:58:29Z',
      bodyPreview: expect.stringContaining('order 1042'),
      webLink: expect.stringContaining('outlook.office365.com'),
      isDraft: false,
      hasAttachments: false,
      parentFolderId: expect.stringMatching(/^AQMk/),
    });
  });

  it('survives a draft with no sender, recipients or subject', () => {
    const m = toMailMessage({ id: 'd1', isDraft: true, subject: null, sentDateTime: null });
    expect(m).toMatchObject({ graphMessageId: 'd1', isDraft: true, subject: '', from: { name: '', address: '' } });
    expect(m.to).toEqual([]);
    expect(m.sentAt).toBeNull();
  });

  it('keeps the body only when Graph sent it', () => {
    const json = { ...graphFixture('message.json'), body: { contentType: 'HTML', content: '<p>Hi</p>' } };
    expect(toMailMessage(json).body).toEqual({ contentType: 'html', content: '<p>Hi</p>' });
  });
});
