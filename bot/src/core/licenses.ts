import type { Actor, AuditSink } from './audit.js';
import { MailroomError } from './errors.js';
import { type LicenseKeyCheck, loadLicensePublicKey, type PublicKeyResult, verifyLicenseKey } from './licenses-key.js';
import {
  type AutopilotLicense,
  adminsOnly,
  type LicenseStatus,
  licenseProblem,
  poolFull,
} from './licenses-messages.js';
import type { LicenseStore } from './licenses-store.js';

export type { AutopilotLicense, LicenseStatus } from './licenses-messages.js';

export interface LicenseServiceDeps {
  store: LicenseStore;
  audit: AuditSink;
  /** LICENSE_PUBLIC_KEY: PEM, SPKI (Ed25519 or RSA). */
  publicKeyPem: string;
  /** LICENSE_KEY, when set in the environment. */
  configuredKey?: string;
  clock?: () => Date;
}

/**
 * Seats come from a signed key (JWT: tid, seats, exp). The key is checked on every status read, against the clock,
 * so an expiry pauses autopilot without a restart.
 */
export class LicenseService {
  private readonly publicKey: PublicKeyResult;
  private readonly clock: () => Date;

  constructor(private readonly deps: LicenseServiceDeps) {
    this.publicKey = loadLicensePublicKey(deps.publicKeyPem);
    this.clock = deps.clock ?? (() => new Date());
  }

  async licenseStatus(tenantId: string): Promise<LicenseStatus> {
    const check = await this.currentKey(tenantId);
    const used = await this.deps.store.countSeats(tenantId);
    if (check === null) return { status: 'unlicensed', seats: 0, used, expiresAt: null };
    if (check.status === 'invalid') return { status: 'invalid', seats: 0, used, expiresAt: null, reason: check.reason };
    const base = { status: check.status, seats: check.seats, used, expiresAt: check.expiresAt };
    return check.status === 'expired' ? { ...base, reason: check.reason } : base;
  }

  /** The license as autopilot sees it for one mailbox or person. */
  async autopilotLicense(tenantId: string, subject: string): Promise<AutopilotLicense> {
    const status = await this.licenseStatus(tenantId);
    const key = subject.trim().toLowerCase();
    return { ...status, subject: key, seated: await this.deps.store.hasSeat(tenantId, key) };
  }

  /** Throws the refusal that says what to do when `subject` may not run autopilot. */
  async requireSeat(tenantId: string, subject: string): Promise<void> {
    const license = await this.autopilotLicense(tenantId, subject);
    const problem = licenseProblem(license, license.subject, license.seated);
    if (problem) throw problem;
  }

  async assignSeat(input: { tenantId: string; subject: string; actor: Actor; isAdmin: boolean }): Promise<string> {
    const subject = input.subject.trim().toLowerCase();
    if (!input.isAdmin) throw adminsOnly(`/license assign ${subject}`);
    const license = await this.licenseStatus(input.tenantId);
    if (license.status !== 'licensed') {
      // Seats only come from a valid key; the problem says how to get one.
      const problem = licenseProblem(license, subject, false);
      if (problem) throw problem;
    }
    const result = await this.deps.store.assignSeat(
      input.tenantId,
      { subject, assignedBy: input.actor.name },
      license.seats,
    );
    if (result === 'full') throw poolFull(license, subject);
    if (result === 'already') {
      return `${subject} already has a Mailroom license (${license.used} of ${license.seats} seats in use).`;
    }
    const used = license.used + 1;
    await this.deps.audit.record({
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'license_assign',
      subject,
      detail: { seats: license.seats, used },
    });
    return `${subject} now has a Mailroom license (${used} of ${license.seats} seats in use).`;
  }

  /** Frees a seat. Autopilot rules on that mailbox stay, paused until a seat is assigned again. */
  async unassignSeat(input: { tenantId: string; subject: string; actor: Actor; isAdmin: boolean }): Promise<string> {
    const subject = input.subject.trim().toLowerCase();
    if (!input.isAdmin) throw adminsOnly(`/license unassign ${subject}`);
    const removed = await this.deps.store.unassignSeat(input.tenantId, subject);
    const license = await this.licenseStatus(input.tenantId);
    if (!removed) return `${subject} had no Mailroom license (${license.used} of ${license.seats} seats in use).`;
    await this.deps.audit.record({
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'license_unassign',
      subject,
      detail: { seats: license.seats, used: license.used },
    });
    return `${subject} no longer has a Mailroom license; its autopilot rules are paused (${license.used} of ${license.seats} seats in use).`;
  }

  /**
   * At startup: stores LICENSE_KEY for the tenant it was issued to, so the Dashboard shows the seats before
   * anyone has asked for them in chat. A bad key stays unstored; it shows as invalid when asked.
   */
  async adoptConfiguredKey(): Promise<void> {
    const configured = this.deps.configuredKey?.trim();
    if (!configured) return;
    const check = await verifyLicenseKey(configured, this.publicKey, this.clock());
    if (check.status !== 'invalid') await this.currentKey(check.tenantId);
  }

  /** Checks and stores a key for a tenant (an admin pasting a renewed key). A bad key is refused, not stored. */
  async installKey(tenantId: string, key: string, actor: Actor): Promise<LicenseStatus> {
    const check = await verifyLicenseKey(key, this.publicKey, this.clock());
    if (check.status === 'invalid') {
      throw new MailroomError('license_invalid', `That license key is not valid: ${check.reason}.`, {
        remedy: 'Paste the key exactly as it was issued, and check LICENSE_PUBLIC_KEY.',
      });
    }
    if (check.tenantId !== tenantId.toLowerCase()) throw otherTenant(check.tenantId);
    await this.deps.store.saveKey(tenantId, { key: key.trim(), seats: check.seats, expiresAt: check.expiresAt });
    await this.deps.audit.record({
      tenantId,
      actor,
      action: 'license_key',
      subject: tenantId,
      detail: { seats: check.seats, expiresAt: check.expiresAt },
    });
    return this.licenseStatus(tenantId);
  }

  /**
   * The key that applies to a tenant: LICENSE_KEY when it was issued for this tenant (stored, so the Dashboard
   * can show it), else the key stored for the tenant, else none. A configured key for another tenant reads as
   * invalid when the tenant has nothing of its own, so the admin learns why.
   */
  private async currentKey(tenantId: string): Promise<LicenseKeyCheck | null> {
    const now = this.clock();
    const configured = this.deps.configuredKey?.trim();
    const fromEnv = configured ? await verifyLicenseKey(configured, this.publicKey, now) : null;
    if (fromEnv && fromEnv.status !== 'invalid' && fromEnv.tenantId === tenantId.toLowerCase()) {
      const stored = await this.deps.store.getKey(tenantId);
      if (stored?.key !== configured && configured) {
        await this.deps.store.saveKey(tenantId, {
          key: configured,
          seats: fromEnv.seats,
          expiresAt: fromEnv.expiresAt,
        });
      }
      return fromEnv;
    }
    const stored = await this.deps.store.getKey(tenantId);
    if (stored) {
      const check = await verifyLicenseKey(stored.key, this.publicKey, now);
      if (check.status !== 'invalid' && check.tenantId !== tenantId.toLowerCase()) {
        return { status: 'invalid', reason: otherTenant(check.tenantId).message };
      }
      return check;
    }
    if (fromEnv === null) return null;
    if (fromEnv.status === 'invalid') return fromEnv;
    return { status: 'invalid', reason: otherTenant(fromEnv.tenantId).message };
  }
}

function otherTenant(keyTenant: string): MailroomError {
  return new MailroomError('license_invalid', `the license key was issued for another tenant (${keyTenant})`, {
    remedy: 'Use the license key issued for this Microsoft 365 tenant.',
  });
}
