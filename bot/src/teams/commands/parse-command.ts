/** Who or what a command is about: a mailbox as typed (`sales@` or a full address), or the caller (`me`). */
export type CommandTarget = { kind: 'me' } | { kind: 'mailbox'; mailbox: string };

export type ParsedCommand =
  | { kind: 'watch'; mailbox: string }
  | { kind: 'unwatch'; mailbox: string }
  | { kind: 'autopilot'; action: 'on' | 'off'; target: CommandTarget }
  | { kind: 'autopilot'; action: 'status'; target?: CommandTarget }
  | { kind: 'license'; action: 'status'; target?: CommandTarget }
  | { kind: 'license'; action: 'assign' | 'unassign'; target: CommandTarget }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

const MAILBOX = /^[^\s@<>"]+@[^\s@<>"]*$/;

/**
 * Removes the bot mention and markup. Teams sends `<at>Mailroom</at> /watch …` as HTML, may wrap an address in a
 * mailto link, and uses &nbsp; around mentions; other clients send a plain `@Mailroom`.
 */
export function stripMention(text: string, botName = 'Mailroom'): string {
  const name = botName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text
    .replace(/<at[^>]*>.*?<\/at>/gis, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;|\u00a0/gi, ' ')
    .replace(/&amp;/gi, '&')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(new RegExp(`^\\s*@?${name}\\b`, 'i'), ' ')
    .trim();
}

/** Reads a command's mailbox argument; a string is the error to show, ending in what to type. */
function target(arg: string | undefined, missing: string, usage: string, allowMe: boolean): CommandTarget | string {
  if (arg === undefined) return `${missing} Try: ${usage}`;
  if (allowMe && arg.toLowerCase() === 'me') return { kind: 'me' };
  if (!MAILBOX.test(arg)) {
    const local = arg.replace(/@.*$/, '');
    return `"${arg}" is not a mailbox. Write ${local}@ for a watched mailbox, or its full address. Try: ${usage}`;
  }
  return { kind: 'mailbox', mailbox: arg.toLowerCase() };
}

function tooMany(args: string[], max: number, usage: string): string | null {
  return args.length > max ? `That is more than I expected after ${usage.split(' ')[0]}. Try: ${usage}` : null;
}

function parseWatch(verb: 'watch' | 'unwatch', args: string[]): ParsedCommand {
  const usage = `/${verb} support@contoso.com`;
  const extra = tooMany(args, 1, usage);
  if (extra) return { kind: 'error', message: extra };
  const t = target(args[0], `/${verb} needs a mailbox, or me for your own.`, usage, true);
  if (typeof t === 'string') return { kind: 'error', message: t };
  // `me` is the caller's own mailbox: watch-commands looks up its address.
  return { kind: verb, mailbox: t.kind === 'mailbox' ? t.mailbox : 'me' };
}

function parseAutopilot(args: string[]): ParsedCommand {
  const action = args[0]?.toLowerCase();
  if (action !== 'on' && action !== 'off' && action !== 'status') {
    const said = action === undefined ? '' : ` (not "${args[0]}")`;
    return { kind: 'error', message: `/autopilot needs on, off or status${said}. Try: /autopilot on sales@` };
  }
  const usage = `/autopilot ${action} sales@`;
  const extra = tooMany(args, 2, usage);
  if (extra) return { kind: 'error', message: extra };
  if (action === 'status' && args[1] === undefined) return { kind: 'autopilot', action };
  const t = target(args[1], `/autopilot ${action} needs a mailbox, or me for your own.`, usage, true);
  if (typeof t === 'string') return { kind: 'error', message: t };
  return { kind: 'autopilot', action, target: t };
}

function parseLicense(args: string[]): ParsedCommand {
  const first = args[0]?.toLowerCase();
  if (first === undefined) return { kind: 'license', action: 'status' };
  if (first !== 'status' && first !== 'assign' && first !== 'unassign') {
    return {
      kind: 'error',
      message: `/license takes status, assign or unassign (not "${args[0]}"). Try: /license assign sales@`,
    };
  }
  const usage = `/license ${first} sales@`;
  const extra = tooMany(args, 2, usage);
  if (extra) return { kind: 'error', message: extra };
  if (first === 'status' && args[1] === undefined) return { kind: 'license', action: 'status' };
  const t = target(args[1], `/license ${first} needs a mailbox or a person's address.`, usage, true);
  if (typeof t === 'string') return { kind: 'error', message: t };
  return { kind: 'license', action: first, target: t };
}

const HELP = 'Try: /help, /watch support@contoso.com, /autopilot on sales@ or /license status';

/** Parses what a person typed to Mailroom. Every error says what to type instead. */
export function parseCommand(text: string, botName = 'Mailroom'): ParsedCommand {
  const words = stripMention(text, botName)
    .split(/\s+/)
    .filter((w) => w !== '');
  const [head, ...args] = words;
  if (head === undefined) return { kind: 'help' };
  const verb = head.replace(/^\//, '').toLowerCase();
  switch (verb) {
    case 'watch':
    case 'unwatch':
      return parseWatch(verb, args);
    case 'autopilot':
      return parseAutopilot(args);
    case 'license':
    case 'licence':
      return parseLicense(args);
    case 'help':
    case '?':
      return { kind: 'help' };
    default:
      return { kind: 'error', message: `I don't know "${head}". ${HELP}` };
  }
}
