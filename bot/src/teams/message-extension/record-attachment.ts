import { CardFactory, type MessagingExtensionAttachment } from 'botbuilder';
import { recordTypeLabel } from '../../core/record-type-label.js';
import { plainPreview } from '../cards/card-text.js';
import type { CardJson } from '../cards/expand-template.js';
import type { RecordCardInput } from '../cards/record-result-card.js';

/**
 * One result of the messaging extension: the Adaptive Card that goes into the message, plus the thumbnail
 * preview Teams lists in the flyout. Preview text is plain (a thumbnail card does not render Markdown).
 */
export function recordAttachment(input: RecordCardInput, card: CardJson): MessagingExtensionAttachment {
  const facts = input.facts
    .filter((f) => f.value.trim() !== '')
    .slice(0, 2)
    .map((f) => `${f.title}: ${f.value}`);
  const preview = CardFactory.thumbnailCard(
    plainPreview(input.name, 120),
    plainPreview([input.subtitle ?? `${recordTypeLabel(input.type)} #${input.id}`, ...facts].join(' · '), 200),
  );
  return { ...CardFactory.adaptiveCard(card), preview };
}
