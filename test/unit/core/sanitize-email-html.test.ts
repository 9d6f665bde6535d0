import { describe, expect, it } from 'vitest';
import { emailHtmlForNetSuite, sanitizeEmailHtml } from '../../../bot/src/core/sanitize-email-html.js';

describe('sanitizeEmailHtml', () => {
  it('removes what a browser would run: scripts, handlers, javascript: and data: links, frames, forms, styles', () => {
    const dirty = [
      '<p onclick="steal()">Hi<script>alert(1)</script></p>',
      '<img src="x" onerror="alert(2)">',
      '<a href="javascript:alert(3)">click</a>',
      '<a href="JaVaScRiPt&colon;alert(4)">click</a>',
      '<a href="data:text/html;base64,PHNjcmlwdD4=">data</a>',
      '<iframe src="https://evil.example"></iframe>',
      '<form action="https://evil.example"><input name="p"></form>',
      '<style>body{background:url(https://evil.example/t.gif)}</style>',
      '<svg><script>alert(5)</script></svg>',
      '<div style="position:fixed;top:0;background-image:url(https://evil.example)">x</div>',
      '<object data="x.swf"></object><embed src="x.swf"><base href="https://evil.example/">',
      '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    ].join('');
    const { html } = sanitizeEmailHtml(dirty);
    for (const bad of [
      '<script',
      'alert(',
      'onerror',
      'onclick',
      'javascript',
      'data:',
      '<iframe',
      '<form',
      '<input',
      '<style',
      '<svg',
      'position',
      'url(',
      '<object',
      '<embed',
      '<base',
      '<meta',
      'evil.example',
    ]) {
      expect(html.toLowerCase(), bad).not.toContain(bad.toLowerCase());
    }
    expect(html).toContain('<p>Hi</p>');
    expect(html).toContain('<div>x</div>');
  });

  it('keeps formatting, tables and links', () => {
    const dirty =
      '<h2>Order 1042</h2><p><b>Late</b>, <i>sorry</i> <u>really</u></p><ul><li>one</li></ul>' +
      '<table border="1" cellpadding="2"><tr><th colspan="2">Item</th></tr><tr><td style="color:#c00;font-weight:bold">Widget</td><td align="right">3</td></tr></table>' +
      '<a href="https://contoso.com/orders/1042">order</a> <a href="mailto:ana@fabrikam.com">Ana</a>' +
      '<img src="https://contoso.com/logo.png" alt="logo">';
    const { html, droppedImages } = sanitizeEmailHtml(dirty);
    expect(droppedImages).toBe(0);
    expect(html).toContain('<h2>Order 1042</h2>');
    expect(html).toContain('<b>Late</b>');
    expect(html).toContain('<table border="1" cellpadding="2">');
    expect(html).toContain('<th colspan="2">Item</th>');
    expect(html).toContain('<td style="color:#c00;font-weight:bold">Widget</td>');
    expect(html).toContain('href="https://contoso.com/orders/1042"');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
    expect(html).toContain('href="mailto:ana@fabrikam.com"');
    expect(html).toContain('<img src="https://contoso.com/logo.png" alt="logo" />');
  });

  it('drops inline cid: and data: images, and says so in a note', () => {
    const dirty = '<p>See <img src="cid:image001.png@01DA"> and <img src="data:image/png;base64,iVBOR"></p>';
    expect(sanitizeEmailHtml(dirty)).toEqual({ html: '<p>See  and </p>', droppedImages: 2 });
    expect(emailHtmlForNetSuite(dirty)).toBe(
      '<p>See  and </p><p><em>[Mailroom: 2 images embedded in this email were left out; the email in the mailbox has them.]</em></p>',
    );
    expect(emailHtmlForNetSuite('<p>plain</p>')).toBe('<p>plain</p>');
  });
});
