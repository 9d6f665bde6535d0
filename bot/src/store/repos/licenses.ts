import { sql } from 'kysely';
import type { AssignResult, LicenseStore, Seat, StoredLicense } from '../../core/licenses-store.js';
import type { Db } from '../db.js';

/** License keys (one per tenant) and the seats assigned from them. */
export class LicenseRepo implements LicenseStore {
  constructor(
    private readonly db: Db,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async getKey(tenantId: string): Promise<StoredLicense | null> {
    const row = await this.db.kysely
      .selectFrom('licenses')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    if (!row) return null;
    return {
      tenantId: row.tenant_id,
      key: row.license_key,
      seats: row.seats,
      expiresAt: row.expires_at,
      updatedAt: row.updated_at,
    };
  }

  async saveKey(tenantId: string, license: { key: string; seats: number; expiresAt: string }): Promise<void> {
    const now = this.clock().toISOString();
    const values = { license_key: license.key, seats: license.seats, expires_at: license.expiresAt, updated_at: now };
    await this.db.kysely
      .insertInto('licenses')
      .values({ tenant_id: tenantId, ...values })
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet(values))
      .execute();
  }

  async listSeats(tenantId: string): Promise<Seat[]> {
    const rows = await this.db.kysely
      .selectFrom('license_seats')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('subject')
      .execute();
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      subject: r.subject,
      assignedBy: r.assigned_by,
      assignedAt: r.assigned_at,
    }));
  }

  async hasSeat(tenantId: string, subject: string): Promise<boolean> {
    const row = await this.db.kysely
      .selectFrom('license_seats')
      .select('subject')
      .where('tenant_id', '=', tenantId)
      .where('subject', '=', subject.toLowerCase())
      .executeTakeFirst();
    return row !== undefined;
  }

  async countSeats(tenantId: string): Promise<number> {
    const row = await this.db.kysely
      .selectFrom('license_seats')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async assignSeat(
    tenantId: string,
    seat: { subject: string; assignedBy: string },
    limit: number,
  ): Promise<AssignResult> {
    const subject = seat.subject.toLowerCase();
    return this.db.kysely.transaction().execute(async (trx) => {
      if (this.db.engine === 'postgres') {
        // Two admins assigning the last seat at once: serialize per tenant so the count below stays true.
        await sql`select pg_advisory_xact_lock(hashtext(${`license_seats:${tenantId}`}))`.execute(trx);
      }
      const held = await trx
        .selectFrom('license_seats')
        .select('subject')
        .where('tenant_id', '=', tenantId)
        .where('subject', '=', subject)
        .executeTakeFirst();
      if (held) return 'already';
      const count = await trx
        .selectFrom('license_seats')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenant_id', '=', tenantId)
        .executeTakeFirstOrThrow();
      if (Number(count.n) >= limit) return 'full';
      const result = await trx
        .insertInto('license_seats')
        .values({ tenant_id: tenantId, subject, assigned_by: seat.assignedBy, assigned_at: this.clock().toISOString() })
        .onConflict((oc) => oc.columns(['tenant_id', 'subject']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0 ? 'assigned' : 'already';
    });
  }

  async unassignSeat(tenantId: string, subject: string): Promise<boolean> {
    const result = await this.db.kysely
      .deleteFrom('license_seats')
      .where('tenant_id', '=', tenantId)
      .where('subject', '=', subject.toLowerCase())
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
