import { Command } from '../actions.js';
import { escapeMarkdown } from './card-text.js';
import { type CardJson, expandTemplate } from './expand-template.js';
import template from './help-card.json' with { type: 'json' };

export interface HelpCommand {
  id: string;
  /** `/watch <mailbox>` */
  usage: string;
  summary: string;
  /** `/watch support@contoso.com` */
  example: string;
}

/** The words for each command. /help shows only the ones the caller passes: the ones that work here. */
export const commandHelp: Record<Command, HelpCommand> = {
  [Command.watch]: {
    id: Command.watch,
    usage: '/watch <mailbox or me>',
    summary:
      "Post this mailbox's new mail in this channel as cards. Run it in a team channel. A Mailroom admin or the team's owner watches a shared mailbox; a person's own mailbox only they (me) or an admin.",
    example: '/watch support@contoso.com',
  },
  [Command.unwatch]: {
    id: Command.unwatch,
    usage: '/unwatch <mailbox or me>',
    summary: 'Stop posting this mailbox here (a Mailroom admin, the team owner, or the mailbox’s own person).',
    example: '/unwatch support@',
  },
  [Command.autopilot]: {
    id: Command.autopilot,
    usage: '/autopilot on|off|status <mailbox or me>',
    summary: "Save every email of a mailbox to its sender's NetSuite record, turn that off, or list the rules.",
    example: '/autopilot on sales@',
  },
  [Command.license]: {
    id: Command.license,
    usage: '/license [status|assign|unassign] <mailbox>',
    summary: 'See the license seats, or give a mailbox a seat for autopilot (admins).',
    example: '/license assign sales@contoso.com',
  },
  [Command.help]: {
    id: Command.help,
    usage: '/help',
    summary: 'Show this list.',
    example: '/help',
  },
};

/** Lists exactly the commands given, each with its usage and an example. */
export function helpCard(commands: HelpCommand[]): CardJson {
  return expandTemplate(template, {
    intro:
      commands.length === 0
        ? 'No commands are available here.'
        : 'In a channel, mention @Mailroom first. A watched mailbox may be written short, as support@.',
    commands: commands.map((c) => ({
      usage: escapeMarkdown(c.usage),
      summary: escapeMarkdown(c.summary),
      example: `Example: ${escapeMarkdown(c.example)}`,
    })),
  });
}
