import type { Logger } from 'pino';
import type { AutopilotService } from '../../core/autopilot.js';
import type { Mailbox } from '../../core/email.js';
import { MailroomError } from '../../core/errors.js';
import type { LicenseService } from '../../core/licenses.js';
import { pausedReason } from '../../core/licenses-messages.js';
import { authorizeMailboxAutopilot } from '../../core/mailbox-access.js';
import { isPersonalMailbox } from '../../core/mailbox-kind.js';
import { authorizeTeamMailbox, type CommandOrigin, reachedMailboxes } from '../../core/team-reach.js';
import type { WatchDeps } from '../../core/watch.js';
import { type OwnWatchOutcome, watchOwnMailbox } from '../../core/watch-own.js';
import type { EmailRepo } from '../../store/repos/emails.js';
import type { RuleRepo } from '../../store/repos/rules.js';
import type { AdminRoster } from '../admins-roster.js';
import { type AutopilotRuleRow, autopilotStatusCard } from '../cards/autopilot-status-card.js';
import type { CardJson } from '../cards/expand-template.js';
import { noticeCard } from '../cards/notice-card.js';
import type { TurnInfo } from '../turn-info.js';
import type { ChatCommands } from './handle-chat.js';
import { callerAddress, type LicenseCommandDeps, licenseCommands, targetAddress } from './license-commands.js';
import { turnForMailboxAdmin } from './mailbox-admin.js';
import { ownMailboxNote } from './own-mailbox-note.js';
import type { ParsedCommand } from './parse-command.js';

export interface AutopilotCommandDeps {
  watch: WatchDeps;
  rules: Pick<RuleRepo, 'listForStatus'>;
  autopilot: AutopilotService;
  licenses: Pick<LicenseService, 'requireSeat' | 'licenseStatus'>;
  admins: AdminRoster;
  /** Names a thread rule by its first email's subject; without it the rule shows its conversation id. */
  emails?: Pick<EmailRepo, 'firstCardable'>;
}

type AutopilotCommand = Extract<ParsedCommand, { kind: 'autopilot' }>;

const SAVES_TO =
  "Every new email to it is saved to its sender's NetSuite match (contact, customer, vendor or partner).";

async function watchedMailbox(deps: AutopilotCommandDeps, tenantId: string, address: string): Promise<Mailbox> {
  const mailbox = await deps.watch.mailboxes.byAddress(tenantId, address);
  if (!mailbox?.active) {
    throw new MailroomError('unknown_mailbox', `${address} is not watched.`, {
      remedy: `Type /watch ${address} in the channel that should get its cards, then /autopilot on ${address}.`,
    });
  }
  return mailbox;
}

const originOf = (turn: TurnInfo): CommandOrigin => ({
  tenantId: turn.tenantId,
  actorId: turn.user.id,
  teamId: turn.teamId,
});

/** `/autopilot on me`: the seat is checked before anything is subscribed; core watches the caller's own mailbox. */
async function watchOwn(deps: AutopilotCommandDeps, turn: TurnInfo, log: Logger): Promise<OwnWatchOutcome> {
  const address = await callerAddress(deps.watch, turn);
  await deps.licenses.requireSeat(turn.tenantId, address);
  return watchOwnMailbox(deps.watch, { tenantId: turn.tenantId, address, actor: turn.user }, log);
}

async function turnOn(deps: AutopilotCommandDeps, turn: TurnInfo, cmd: AutopilotCommand, log: Logger) {
  // An assert for the type checker: only the 'on' branch of the command router calls this.
  if (cmd.action !== 'on') throw new Error('not an on command');
  const own = cmd.target.kind === 'me' ? await watchOwn(deps, turn, log) : null;
  const mailbox =
    own !== null
      ? own.mailbox
      : await watchedMailbox(deps, turn.tenantId, await targetAddress(deps.watch, turn, cmd.target));
  // `me` is the caller's by object id already (watchOwnMailbox); a mailbox named by address is checked here.
  if (own === null) await authorizeMailboxAutopilot(deps.admins, { actorId: turn.user.id, mailbox });
  // A shared mailbox's mail is its team's: only a member (or a listed admin) puts all of it on autopilot.
  if (own === null && !isPersonalMailbox(mailbox.kind)) {
    await authorizeTeamMailbox(deps.admins, originOf(turn), mailbox, 'turn autopilot on for');
  }
  const change = await deps.autopilot.turnOnRule({
    tenantId: turn.tenantId,
    kind: 'mailbox',
    mailbox: { id: mailbox.id, address: mailbox.address },
    matchValue: '',
    targets: [],
    owner: { id: turn.user.id, name: turn.user.name },
  });
  log.info({ mailbox: mailbox.address, changed: change.changed }, 'autopilot on');
  return noticeCard({
    title: change.changed ? 'Autopilot is on' : 'Autopilot was already on',
    text: `${change.message} ${SAVES_TO} A sender with no match is left for a person.${own ? ownMailboxNote(own) : ''}`,
    remedy: `Turn it off with /autopilot off ${cmd.target.kind === 'me' ? 'me' : mailbox.address}.`,
    tone: 'info',
  });
}

/** Of every mailbox's rules, those of the mailboxes the person reaches (core/team-reach.ts), and their own. */
async function visibleRules<R extends { mailboxId: string; ownerId: string }>(
  deps: AutopilotCommandDeps,
  turn: TurnInfo,
  rules: R[],
): Promise<R[]> {
  const ids = [...new Set(rules.filter((r) => r.ownerId !== turn.user.id).map((r) => r.mailboxId))];
  if (ids.length === 0) return rules;
  const found = await Promise.all(ids.map((id) => deps.watch.mailboxes.byId(turn.tenantId, id)));
  const reached = await reachedMailboxes(
    deps.admins,
    originOf(turn),
    found.flatMap((m) => (m ? [m] : [])),
  );
  return rules.filter((r) => r.ownerId === turn.user.id || reached.ids.has(r.mailboxId));
}

async function status(deps: AutopilotCommandDeps, turn: TurnInfo, cmd: AutopilotCommand): Promise<CardJson> {
  const mailbox =
    cmd.target === undefined
      ? null
      : await watchedMailbox(deps, turn.tenantId, await targetAddress(deps.watch, turn, cmd.target));
  if (mailbox && !isPersonalMailbox(mailbox.kind)) {
    await authorizeTeamMailbox(deps.admins, originOf(turn), mailbox, 'see the autopilot rules of');
  }
  const rules = await visibleRules(
    deps,
    turn,
    await deps.rules.listForStatus(turn.tenantId, mailbox ? { mailboxId: mailbox.id } : {}),
  );
  const license = await deps.licenses.licenseStatus(turn.tenantId);
  // Seat problems are per mailbox and shown on cards; here only a key problem pauses every rule.
  const paused = license.status === 'licensed' ? null : pausedReason(license, '', true);
  const threadName = async (r: (typeof rules)[number]) => {
    const first = await deps.emails?.firstCardable(turn.tenantId, r.mailboxId, r.matchValue);
    return first?.subject ? `thread "${first.subject.slice(0, 80)}"` : `conversation ${r.matchValue.slice(0, 24)}…`;
  };
  const matches = await Promise.all(
    rules.map((r) => (r.kind === 'thread' ? threadName(r) : r.matchValue || r.mailboxAddress)),
  );
  const rows: AutopilotRuleRow[] = rules.map((r, i) => ({
    kind: r.kind,
    match: matches[i] ?? r.matchValue,
    mailbox: r.mailboxAddress,
    targets: r.targets.map((t) => ({ recordType: t.type, recordName: t.name })),
    ownerName: r.ownerName,
    createdAt: r.createdAt,
  }));
  return autopilotStatusCard(rows, {
    ...(mailbox ? { mailbox: mailbox.address } : {}),
    ...(paused ? { pausedReason: paused.replace(/^Autopilot is paused: /, '') } : {}),
  });
}

/** `/autopilot on|off|status <mailbox|me>`. Only the person who turned a rule on, or an admin, turns it off. */
export function autopilotCommands(deps: AutopilotCommandDeps) {
  return async (turn: TurnInfo, cmd: AutopilotCommand, log: Logger): Promise<CardJson> => {
    if (cmd.action === 'status') return status(deps, turn, cmd);
    if (cmd.action === 'on') return turnOn(deps, turn, cmd, log);
    const address = await targetAddress(deps.watch, turn, cmd.target);
    const mailbox = await watchedMailbox(deps, turn.tenantId, address);
    const result = await deps.autopilot.turnOffMailbox({
      tenantId: turn.tenantId,
      mailbox: { id: mailbox.id, address: mailbox.address },
      actor: { id: turn.user.id, name: turn.user.name },
      isAdmin: await deps.admins.isAdmin(turnForMailboxAdmin(turn, mailbox)),
    });
    log.info({ mailbox: mailbox.address, changed: result.changed }, 'autopilot off');
    return noticeCard({
      title: result.changed ? 'Autopilot is off' : 'Nothing to turn off',
      text: result.message,
      remedy: result.changed ? `Turn it on again with /autopilot on ${mailbox.address}.` : '',
      tone: 'info',
    });
  };
}

/** Adds /autopilot and /license to the chat commands, sharing /watch's Graph and subscription wiring. */
export function withAutopilotChat(
  chat: ChatCommands,
  deps: Omit<AutopilotCommandDeps, 'watch' | 'licenses'> & Pick<LicenseCommandDeps, 'licenses' | 'seats'>,
): ChatCommands {
  return {
    ...chat,
    autopilot: autopilotCommands({ ...deps, watch: chat.watch }),
    license: licenseCommands({ ...deps, mailboxes: chat.watch.mailboxes, mail: chat.watch.mail }),
  };
}
