import sanitizeHtml from 'sanitize-html';

/**
 * The HTML of an email as NetSuite may keep it: the sender's formatting, tables and links stay; scripts, event
 * handlers, `javascript:` and `data:` links, frames, forms, style sheets and anything else a browser would run are
 * removed by sanitize-html (an allowlist parser, not a hand-written filter). Images that are not plain https (an
 * inline `cid:` part, a `data:` URI) cannot show outside the mailbox, so they are dropped and a note says how many;
 * the email in the mailbox still has them.
 */
const FORMATTING = [
  'a',
  'abbr',
  'b',
  'blockquote',
  'br',
  'caption',
  'center',
  'cite',
  'code',
  'col',
  'colgroup',
  'dd',
  'del',
  'div',
  'dl',
  'dt',
  'em',
  'font',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'i',
  'img',
  'ins',
  'kbd',
  'li',
  'mark',
  'ol',
  'p',
  'pre',
  'q',
  's',
  'small',
  'span',
  'strike',
  'strong',
  'sub',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'tt',
  'u',
  'ul',
];

const CELL = ['align', 'valign', 'width', 'height', 'colspan', 'rowspan', 'bgcolor'];

/** Inline styles kept: how text and cells look, never where things are placed or what is fetched. */
const COLOR = [/^#[0-9a-f]{3,8}$/i, /^rgba?\([\d\s.,%]+\)$/i, /^[a-z]+$/i];
const LENGTH = [/^[\d.]+(px|pt|em|rem|%)?$/i];
const STYLES: sanitizeHtml.IOptions['allowedStyles'] = {
  '*': {
    color: COLOR,
    'background-color': COLOR,
    'font-weight': [/^(normal|bold|bolder|lighter|\d{3})$/i],
    'font-style': [/^(normal|italic|oblique)$/i],
    'font-size': LENGTH,
    'text-decoration': [/^[a-z\s-]+$/i],
    'text-align': [/^(left|right|center|justify)$/i],
    'vertical-align': [/^(top|middle|bottom|baseline)$/i],
    border: [/^[\w\s#.,()%-]+$/i],
    padding: [/^[\d.\s]+(px|pt|em|%)?[\d.\spxtem%]*$/i],
    width: LENGTH,
  },
};

export interface SanitizedHtml {
  html: string;
  /** Images left out because they were embedded in the email (cid:) or not https. */
  droppedImages: number;
}

export function sanitizeEmailHtml(dirty: string): SanitizedHtml {
  let droppedImages = 0;
  const html = sanitizeHtml(dirty, {
    allowedTags: FORMATTING,
    allowedAttributes: {
      a: ['href', 'title', 'name', 'rel', 'target'],
      img: ['src', 'alt', 'width', 'height'],
      font: ['color', 'size', 'face'],
      table: ['border', 'cellpadding', 'cellspacing', 'width', 'align', 'bgcolor'],
      td: CELL,
      th: CELL,
      tr: ['align', 'valign', 'bgcolor'],
      col: ['span', 'width'],
      colgroup: ['span', 'width'],
      '*': ['style', 'dir', 'lang'],
    },
    allowedStyles: STYLES,
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['https'] },
    allowProtocolRelative: false,
    // script, style, textarea, noscript and the like go with their content, not just their tags.
    disallowedTagsMode: 'discard',
    transformTags: {
      a: (tagName, attribs) => ({
        tagName,
        attribs: { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' },
      }),
    },
    exclusiveFilter: (frame) => {
      if (frame.tag !== 'img') return false;
      const src = (frame.attribs.src ?? '').trim();
      if (/^https:\/\//i.test(src)) return false;
      droppedImages++;
      return true;
    },
  });
  return { html, droppedImages };
}

/** The sanitized body with a closing note when images were left out. */
export function emailHtmlForNetSuite(dirty: string): string {
  const { html, droppedImages } = sanitizeEmailHtml(dirty);
  if (droppedImages === 0) return html;
  const what =
    droppedImages === 1 ? '1 image embedded in this email was' : `${droppedImages} images embedded in this email were`;
  return `${html}<p><em>[Mailroom: ${what} left out; the email in the mailbox has them.]</em></p>`;
}
