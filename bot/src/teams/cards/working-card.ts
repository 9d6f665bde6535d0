import { type CardJson, expandTemplate } from './expand-template.js';
import template from './working-card.json' with { type: 'json' };

/**
 * The answer to a click that is not finished within Teams' invoke time limit: it says the work goes on, and offers
 * Refresh (the card's own verb) for when the card of `emailId` has not caught up by itself.
 */
export function workingCard(emailId: string | null): CardJson {
  return expandTemplate(template, { hasEmail: emailId !== null, emailId: emailId ?? '' });
}
