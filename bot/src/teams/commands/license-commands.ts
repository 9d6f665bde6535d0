import type { Logger } from 'pino';
import { MailroomError } from '../../core/errors.js';
import type { LicenseService, LicenseStatus } from '../../core/licenses.js';
import type { LicenseStore } from '../../core/licenses-store.js';
import type { MailboxStore, MailService } from '../../core/ports.js';
import type { AdminRoster } from '../admins-roster.js';
import type { CardJson } from '../cards/expand-template.js';
import { type LicenseStatus as CardLicenseStatus, licenseStatusCard } from '../cards/license-status-card.js';
import { noticeCard } from '../cards/notice-card.js';
import type { TurnInfo } from '../turn-info.js';
import { turnForMailboxAdmin } from './mailbox-admin.js';
import type { CommandTarget, ParsedCommand } from './parse-command.js';
import { resolveMailbox } from './resolve-mailbox.js';

export interface LicenseCommandDeps {
  licenses: LicenseService;
  seats: Pick<LicenseStore, 'listSeats'>;
  mailboxes: MailboxStore;
  mail: Pick<MailService, 'findUser'>;
  admins: AdminRoster;
}

/**
 * The caller's own address, for `me`: the UPN when Teams sent it, else the directory entry of their AAD object
 * id (the same id Graph uses for the user).
 */
export async function callerAddress(deps: { mail: Pick<MailService, 'findUser'> }, turn: TurnInfo): Promise<string> {
  if (turn.user.upn) return turn.user.upn.trim().toLowerCase();
  const user = turn.user.id ? await deps.mail.findUser(turn.user.id) : null;
  const address = (user?.mail || user?.userPrincipalName || '').trim().toLowerCase();
  if (address === '') {
    throw new MailroomError('unknown_mailbox', 'I could not find your mailbox in this tenant.', {
      remedy: 'Write your address instead of me, e.g. /autopilot on ana@contoso.com.',
    });
  }
  return address;
}

/**
 * A mailbox or a person as typed: `sales@` must name a watched mailbox; a full address is taken as written (a
 * person's seat need not be a watched mailbox yet); `me` is the caller.
 */
export async function targetAddress(
  deps: { mailboxes: MailboxStore; mail: Pick<MailService, 'findUser'> },
  turn: TurnInfo,
  target: CommandTarget,
): Promise<string> {
  if (target.kind === 'me') return callerAddress(deps, turn);
  const watched = (await deps.mailboxes.listActive(turn.tenantId)).map((m) => m.address);
  return resolveMailbox(target.mailbox, watched);
}

const cardStatus: Record<LicenseStatus['status'], CardLicenseStatus['status']> = {
  licensed: 'valid',
  unlicensed: 'missing',
  expired: 'expired',
  invalid: 'invalid',
};

async function statusCard(deps: LicenseCommandDeps, tenantId: string, focus?: string): Promise<CardJson> {
  const [status, seats] = await Promise.all([deps.licenses.licenseStatus(tenantId), deps.seats.listSeats(tenantId)]);
  return licenseStatusCard(
    {
      status: cardStatus[status.status],
      seats: status.seats,
      used: status.used,
      expiresAt: status.expiresAt,
      assigned: seats.map((s) => s.subject),
    },
    focus ? { focus } : {},
  );
}

/** `/license [status]`, `/license assign <mailbox>` and `/license unassign <mailbox>` (the last two for admins). */
export function licenseCommands(deps: LicenseCommandDeps) {
  return async (turn: TurnInfo, cmd: Extract<ParsedCommand, { kind: 'license' }>, log: Logger): Promise<CardJson> => {
    if (cmd.action === 'status') {
      return statusCard(deps, turn.tenantId, cmd.target ? await targetAddress(deps, turn, cmd.target) : undefined);
    }
    const subject = await targetAddress(deps, turn, cmd.target);
    // A watched mailbox's seat is its team owners' to give; a person's own seat, the admins' where it is asked.
    const mailbox = await deps.mailboxes.byAddress(turn.tenantId, subject);
    // Whoever asks, an address that is no mailbox gets that answer, before any question of who may assign.
    if (!mailbox && cmd.action === 'assign' && !(await deps.mail.findUser(subject))) {
      throw new MailroomError('unknown_mailbox', `There is no mailbox ${subject} in this tenant.`, {
        remedy: `Check the spelling; /license assign takes a watched mailbox (sales@) or a person's address.`,
      });
    }
    const input = {
      tenantId: turn.tenantId,
      subject,
      actor: { id: turn.user.id, name: turn.user.name },
      isAdmin: await deps.admins.isAdmin(turnForMailboxAdmin(turn, mailbox)),
    };
    const message =
      cmd.action === 'assign' ? await deps.licenses.assignSeat(input) : await deps.licenses.unassignSeat(input);
    log.info({ action: cmd.action, subject }, 'license seat changed');
    return noticeCard({
      title: cmd.action === 'assign' ? 'License assigned' : 'License freed',
      text: message,
      remedy: cmd.action === 'assign' ? `Turn autopilot on with /autopilot on ${subject}.` : '',
      tone: 'info',
    });
  };
}
