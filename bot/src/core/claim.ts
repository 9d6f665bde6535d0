import type { Actor } from './audit.js';

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
