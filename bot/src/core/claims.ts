import type { Actor, AuditSink } from './audit.js';
import { MailroomError } from './errors.js';

export interface Claim {
  tenantId: string;
  emailId: string;
  /** The claimer's AAD object id: who may release, compared as every identity is. */
  userId: string;
  userName: string;
  claimedAt: string;
  /**
   * The claimer's Teams user id (MRI, `29:…`, the activity's `from.id`): what a card's `refresh.userIds` must hold
   * for Teams to show the claimer their own view. Null for claims stored before Mailroom kept it.
   */
  userMri: string | null;
}

/** Who claims: an actor, with their Teams MRI when the click came from Teams. */
export interface Claimer extends Actor {
  mri?: string;
}

export type TryClaimResult = { won: true; claim: Claim } | { won: false; holder: Claim };

/** The claims table. `tryClaim` must decide the winner in the database (a key), never in memory. */
export interface ClaimStore {
  tryClaim(tenantId: string, emailId: string, user: Claimer): Promise<TryClaimResult>;
  /** Fills in the MRI of a claim stored without one; true when it did. */
  rememberMri(tenantId: string, emailId: string, userId: string, mri: string): Promise<boolean>;
  release(tenantId: string, emailId: string): Promise<boolean>;
  get(tenantId: string, emailId: string): Promise<Claim | null>;
  listOpen(tenantId: string): Promise<Claim[]>;
}

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
 * and the card stays as it is for them.
 */
export class ClaimService {
  constructor(private readonly deps: { claims: ClaimStore; audit: AuditSink }) {}

  async claimEmail(input: {
    tenantId: string;
    emailId: string;
    user: Claimer;
    subject?: string;
  }): Promise<ClaimOutcome> {
    const result = await this.deps.claims.tryClaim(input.tenantId, input.emailId, input.user);
    if (!result.won && result.holder.userId === input.user.id) {
      // A double click by the holder is not a lost race.
      const holder = (await this.claimerSeen(input)) ?? result.holder;
      return { won: true, claim: holder, message: `Claimed by ${holder.userName} · replying privately` };
    }
    if (!result.won) {
      return { won: false, holder: result.holder, message: `Already claimed by ${result.holder.userName}` };
    }
    await this.deps.audit.record({
      tenantId: input.tenantId,
      actor: input.user,
      action: 'claim',
      subject: input.emailId,
      ...(input.subject === undefined ? {} : { detail: { subject: input.subject } }),
    });
    return { won: true, claim: result.claim, message: `Claimed by ${result.claim.userName} · replying privately` };
  }

  /**
   * The claimer acted on the email from Teams: a claim stored before Mailroom kept MRIs learns theirs, so the
   * next card update names them in refresh.userIds. Returns the claim as it now is (null when not claimed).
   */
  async claimerSeen(input: { tenantId: string; emailId: string; user: Claimer }): Promise<Claim | null> {
    const claim = await this.deps.claims.get(input.tenantId, input.emailId);
    if (!claim || claim.userMri || !input.user.mri || claim.userId !== input.user.id) return claim;
    await this.deps.claims.rememberMri(input.tenantId, input.emailId, claim.userId, input.user.mri);
    return { ...claim, userMri: input.user.mri };
  }

  /** Only the claimer or a Mailroom admin may release; anyone else gets a 'forbidden' error naming the holder. */
  async releaseEmail(input: {
    tenantId: string;
    emailId: string;
    user: Actor;
    isAdmin: boolean;
  }): Promise<ReleaseOutcome> {
    const claim = await this.deps.claims.get(input.tenantId, input.emailId);
    if (!claim) return { released: false, message: 'This email is not claimed.' };
    if (claim.userId !== input.user.id && !input.isAdmin) {
      throw new MailroomError(
        'forbidden',
        `Claimed by ${claim.userName}; only ${claim.userName} or a Mailroom admin can release it.`,
        { remedy: `Ask ${claim.userName} to release it, or ask a Mailroom admin.` },
      );
    }
    const released = await this.deps.claims.release(input.tenantId, input.emailId);
    if (!released) return { released: false, message: 'This email is not claimed.' };
    await this.deps.audit.record({
      tenantId: input.tenantId,
      actor: input.user,
      action: 'release',
      subject: input.emailId,
      detail: { claimedBy: claim.userName, claimedById: claim.userId, byAdmin: claim.userId !== input.user.id },
    });
    return { released: true, claim, message: `Released by ${input.user.name}; the email is open again.` };
  }
}
