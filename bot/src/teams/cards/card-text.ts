/**
 * Text from outside (subjects, names, previews, NetSuite record names) must reach a card exactly as typed.
 *
 * Teams runs every TextBlock and Fact through a Markdown subset: **bold**, _italic_, `- ` and `1. ` lists and
 * [links](url); HTML is not rendered. https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format
 * Its desktop and web clients follow CommonMark, where a backslash before ASCII punctuation shows that character
 * literally. We escape only what some renderer could interpret, so mobile clients (which were slower to honour
 * escapes, AdaptiveCards#5590) show as few stray backslashes as possible.
 *
 * Templating is not a risk here: adaptivecards-templating binds data values as they are and never re-expands a
 * `${…}` that arrives inside a value.
 */

/** Characters that open or close an inline construct anywhere in a line (emphasis, code, links, autolinks, HTML). */
const INLINE = /[\\`*_[\]<>#~|]/g;
/** `{{DATE(…)}}` and `{{TIME(…)}}` are expanded by the card renderer itself, before Markdown. */
const DOUBLE_BRACE = /\{(?=\{)/g;
/** `&amp;` and `&#42;` would be decoded by a CommonMark renderer. */
const ENTITY = /&(?=#?[A-Za-z0-9]+;)/g;
/** A list item, setext underline or thematic break can only start a line. */
const LINE_START_MARK = /^([-+=])/;
const LINE_START_ORDERED = /^(\d{1,9})([.)])/;

function escapeLine(line: string): string {
  return (
    line
      // Leading spaces would make an indented code block; they carry no meaning on a card.
      .replace(/^[ \t]+/, '')
      .replace(INLINE, '\\$&')
      .replace(DOUBLE_BRACE, '{\\')
      .replace(ENTITY, '\\&')
      .replace(LINE_START_MARK, '\\$1')
      .replace(LINE_START_ORDERED, '$1\\$2')
  );
}

/**
 * Characters that change how text around them is shown without showing themselves: the bidi embeddings and overrides
 * (U+202A–202E) and isolates (U+2066–2069), which make `invoice\u202Egnp.exe` read as "invoiceexe.png", and the
 * zero-width space, word joiner and byte-order mark, which hide inside look-alike names. They are removed.
 * https://www.unicode.org/reports/tr9/ (explicit directional formatting) and https://www.unicode.org/reports/tr36/
 */
const INVISIBLE = /[\u202A-\u202E\u2066-\u2069\u200B\u2060\uFEFF]/g;
/**
 * Zero-width joiners and non-joiners have real work in emoji sequences and in scripts such as Persian, so they stay
 * there; beside an ASCII character they only hide things, and go.
 */
const JOINER_BESIDE_ASCII = /(?<=[\x21-\x7e])[\u200C\u200D]+|[\u200C\u200D]+(?=[\x21-\x7e])/g;

/** `text` without the invisible characters that could disguise it (see INVISIBLE). */
export function withoutInvisibles(text: string): string {
  return text.replace(INVISIBLE, '').replace(JOINER_BESIDE_ASCII, '');
}

/** Makes `text` show literally in a Teams TextBlock or Fact. */
export function escapeMarkdown(text: string): string {
  return withoutInvisibles(text).replace(/\r\n?/g, '\n').split('\n').map(escapeLine).join('\n');
}

/** One line of plain text, at most `max` characters, cut on a word boundary with "…" when it had to be cut. */
export function plainPreview(text: string, max = 600): string {
  const flat = withoutInvisibles(text).replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  if (max < 1) return '';
  const room = max - 1;
  let cut = flat.slice(0, room);
  // Never leave half a surrogate pair (an emoji cut in two).
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const lastSpace = cut.lastIndexOf(' ');
  // A single very long "word" (a URL) is cut where it must be rather than dropped whole.
  if (lastSpace > room / 2) cut = cut.slice(0, lastSpace);
  return `${cut.trimEnd()}…`;
}

/** Escaped single-line text for a card, cut to `max` characters first. */
export function cardText(text: string, max = 300): string {
  return escapeMarkdown(plainPreview(text, max));
}
