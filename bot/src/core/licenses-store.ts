/** A verified license key as kept per tenant. */
export interface StoredLicense {
  tenantId: string;
  key: string;
  seats: number;
  expiresAt: string;
  updatedAt: string;
}

/** A seat held by a mailbox (shared autopilot) or a person (`/autopilot on me`). */
export interface Seat {
  tenantId: string;
  /** Lower-cased address. */
  subject: string;
  assignedBy: string;
  assignedAt: string;
}

export type AssignResult = 'assigned' | 'already' | 'full';

/** The licenses and license_seats tables, from core's point of view. */
export interface LicenseStore {
  getKey(tenantId: string): Promise<StoredLicense | null>;
  saveKey(tenantId: string, license: { key: string; seats: number; expiresAt: string }): Promise<void>;
  listSeats(tenantId: string): Promise<Seat[]>;
  hasSeat(tenantId: string, subject: string): Promise<boolean>;
  countSeats(tenantId: string): Promise<number>;
  /** Adds the seat unless it is held already or `limit` seats are taken, atomically (two admins racing). */
  assignSeat(tenantId: string, seat: { subject: string; assignedBy: string }, limit: number): Promise<AssignResult>;
  unassignSeat(tenantId: string, subject: string): Promise<boolean>;
}
