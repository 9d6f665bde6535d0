import type { Actor } from './audit.js';
import type { Claim, Claimer } from './claim.js';
import { MailroomError } from './errors.js';
import type { UnitOfWork, WorkPorts } from './ports.js';
import { refreshCards } from './save.js';

export type ClaimOutcome =
  | { won: true; claim: Claim; message: string }
  | { won: false; holder: Claim; message: string };

export interface ReleaseOutcome {
  released: boolean;
  /** The claim that was released (absent when the email was not claimed). */
  claim?: Claim;
  message: string;
}

/**
 * Claim and release of an email for a private reply. The first click wins; everyone else is told who holds it,
 * and the card stays as it is for them. Each runs in one unit of work: the claim row, its audit entry and the
 * card refreshes of every copy commit together, or none of them does.
 */
export class ClaimService {
  constructor(private readonly deps: { uow: UnitOfWork }) {}

  async claimEmail(input: {
    tenantId: string;
    emailId: string;
    user: Claimer;
    subject?: string;
  }): Promise<ClaimOutcome> {
    return this.deps.uow.run(async (tx) => {
      const email = await tx.emails.byId(input.tenantId, input.emailId);
      if (!email) throw gone();
      const result = await tx.claims.tryClaim(input.tenantId, input.emailId, input.user);
      if (!result.won && result.holder.userId === input.user.id) {
        // A double click by the holder is not a lost race.
        const holder = (await seen(tx, input)) ?? result.holder;
        await refreshCards(tx, input.tenantId, email.internetMessageId);
        return { won: true, claim: holder, message: `Claimed by ${holder.userName} · replying privately` };
      }
      if (!result.won) {
        return { won: false, holder: result.holder, message: `Already claimed by ${result.holder.userName}` };
      }
      await tx.audit.record({
        tenantId: input.tenantId,
        actor: input.user,
        action: 'claim',
        subject: input.emailId,
        ...(input.subject === undefined ? {} : { detail: { subject: input.subject } }),
      });
      await refreshCards(tx, input.tenantId, email.internetMessageId);
      return { won: true, claim: result.claim, message: `Claimed by ${result.claim.userName} · replying privately` };
    });
  }

  /**
   * The claimer acted on the email from Teams: a claim stored before Mailroom kept MRIs learns theirs, so the
   * next card update names them in refresh.userIds. Returns the claim as it now is (null when not claimed).
   */
  async claimerSeen(input: { tenantId: string; emailId: string; user: Claimer }): Promise<Claim | null> {
    return this.deps.uow.run((tx) => seen(tx, input));
  }

  /**
   * Only the claimer or a Mailroom admin may release; anyone else gets a 'forbidden' error naming the holder.
   * `isAdmin` is asked before (it may call Graph, which a unit of work must not wait on).
   */
  async releaseEmail(input: {
    tenantId: string;
    emailId: string;
    user: Actor;
    isAdmin: boolean;
  }): Promise<ReleaseOutcome> {
    return this.deps.uow.run(async (tx): Promise<ReleaseOutcome> => {
      const claim = await tx.claims.get(input.tenantId, input.emailId);
      if (!claim) return { released: false, message: 'This email is not claimed.' };
      if (claim.userId !== input.user.id && !input.isAdmin) {
        throw new MailroomError(
          'forbidden',
          `Claimed by ${claim.userName}; only ${claim.userName} or a Mailroom admin can release it.`,
          { remedy: `Ask ${claim.userName} to release it, or ask a Mailroom admin.` },
        );
      }
      const released = await tx.claims.release(input.tenantId, input.emailId);
      if (!released) return { released: false, message: 'This email is not claimed.' };
      await tx.audit.record({
        tenantId: input.tenantId,
        actor: input.user,
        action: 'release',
        subject: input.emailId,
        detail: { claimedBy: claim.userName, claimedById: claim.userId, byAdmin: claim.userId !== input.user.id },
      });
      const email = await tx.emails.byId(input.tenantId, input.emailId);
      if (email) await refreshCards(tx, input.tenantId, email.internetMessageId);
      return { released: true, claim, message: `Released by ${input.user.name}; the email is open again.` };
    });
  }
}

async function seen(tx: WorkPorts, input: { tenantId: string; emailId: string; user: Claimer }) {
  const claim = await tx.claims.get(input.tenantId, input.emailId);
  if (!claim || claim.userMri || !input.user.mri || claim.userId !== input.user.id) return claim;
  await tx.claims.rememberMri(input.tenantId, input.emailId, claim.userId, input.user.mri);
  return { ...claim, userMri: input.user.mri };
}

function gone(): MailroomError {
  return new MailroomError('not_found', 'This email is no longer in Mailroom.', {
    status: 404,
    remedy: 'Open it in Outlook; its retention period may have ended.',
  });
}
