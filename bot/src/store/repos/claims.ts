import type { Selectable } from 'kysely';
import type { Claim, Claimer, ClaimStore, TryClaimResult } from '../../core/claim.js';
import type { Db } from '../db.js';
import type { ClaimTable } from '../schema.js';

function toClaim(r: Selectable<ClaimTable>): Claim {
  return {
    tenantId: r.tenant_id,
    emailId: r.email_id,
    userId: r.user_id,
    userName: r.user_name,
    claimedAt: r.claimed_at,
    userMri: r.user_mri,
  };
}

/** Claims: the primary key on email_id makes the first insert win, across clicks, processes and replicas. */
export class ClaimRepo implements ClaimStore {
  constructor(
    private readonly db: Db,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async tryClaim(tenantId: string, emailId: string, user: Claimer): Promise<TryClaimResult> {
    const result = await this.db.kysely
      .insertInto('claims')
      .values({
        tenant_id: tenantId,
        email_id: emailId,
        user_id: user.id,
        user_name: user.name,
        claimed_at: this.clock().toISOString(),
        user_mri: user.mri ?? null,
      })
      .onConflict((oc) => oc.column('email_id').doNothing())
      .executeTakeFirst();
    const holder = await this.get(tenantId, emailId);
    if (!holder) {
      // Only possible if the email id belongs to another tenant's claim: never report it across tenants.
      throw new Error(`claim of email ${emailId} is held outside tenant ${tenantId}`);
    }
    const won = Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
    return won ? { won: true, claim: holder } : { won: false, holder };
  }

  async rememberMri(tenantId: string, emailId: string, userId: string, mri: string): Promise<boolean> {
    const result = await this.db.kysely
      .updateTable('claims')
      .set({ user_mri: mri })
      .where('tenant_id', '=', tenantId)
      .where('email_id', '=', emailId)
      .where('user_id', '=', userId)
      .where('user_mri', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async release(tenantId: string, emailId: string): Promise<boolean> {
    const result = await this.db.kysely
      .deleteFrom('claims')
      .where('tenant_id', '=', tenantId)
      .where('email_id', '=', emailId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async get(tenantId: string, emailId: string): Promise<Claim | null> {
    const row = await this.db.kysely
      .selectFrom('claims')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('email_id', '=', emailId)
      .executeTakeFirst();
    return row ? toClaim(row) : null;
  }

  async listOpen(tenantId: string): Promise<Claim[]> {
    const rows = await this.db.kysely
      .selectFrom('claims')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('claimed_at', 'desc')
      .execute();
    return rows.map(toClaim);
  }
}
