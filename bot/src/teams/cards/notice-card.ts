import { escapeMarkdown } from './card-text.js';
import { type CardJson, expandTemplate } from './expand-template.js';
import template from './notice-card.json' with { type: 'json' };

export interface Notice {
  title: string;
  text: string;
  /** What to do next, in plain words. Every error answer should have one. */
  remedy?: string;
  tone: 'info' | 'warning' | 'error';
}

const colors = { info: 'Default', warning: 'Warning', error: 'Attention' } as const;

/**
 * The answer to a command or a click that needs words rather than a card update: mostly errors. Its text may
 * echo what a person typed, so all of it is escaped.
 */
export function noticeCard(notice: Notice): CardJson {
  const remedy = notice.remedy?.trim() ?? '';
  return expandTemplate(template, {
    title: escapeMarkdown(notice.title),
    color: colors[notice.tone],
    text: escapeMarkdown(notice.text),
    hasRemedy: remedy !== '',
    remedy: `What to do: ${escapeMarkdown(remedy)}`,
  });
}
