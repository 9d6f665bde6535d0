import { describe, expect, it } from 'vitest';
import { adminReasons, isAdmin } from '../../../bot/src/core/admins.js';

const ANA = { aadObjectId: '6b2a1f3e-0c4d-4e5f-9a8b-7c6d5e4f3a2b' };

describe('the admin model', () => {
  it('knows listed admins by object id, in any letter case', () => {
    expect(isAdmin(ANA, { configuredAdmins: ['6B2A1F3E-0C4D-4E5F-9A8B-7C6D5E4F3A2B'], teamOwnerIds: [] })).toBe(true);
  });

  it('knows team owners from the roster, and says why someone is an admin', () => {
    expect(isAdmin(ANA, { configuredAdmins: [], teamOwnerIds: [ANA.aadObjectId] })).toBe(true);
    const both = { configuredAdmins: [ANA.aadObjectId], teamOwnerIds: [ANA.aadObjectId] };
    expect(adminReasons(ANA.aadObjectId, both)).toEqual(['listed', 'team_owner']);
  });

  it('never by name or UPN, and never for a blank id', () => {
    expect(
      isAdmin({ aadObjectId: 'ana@contoso.com' }, { configuredAdmins: ['bo@contoso.com'], teamOwnerIds: [] }),
    ).toBe(false);
    expect(isAdmin(ANA, { configuredAdmins: ['ana@contoso.com'], teamOwnerIds: ['someone-else'] })).toBe(false);
    expect(isAdmin({ aadObjectId: '' }, { configuredAdmins: [''], teamOwnerIds: [''] })).toBe(false);
  });
});
