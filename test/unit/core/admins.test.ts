import { describe, expect, it } from 'vitest';
import { isAdmin } from '../../../bot/src/core/admins.js';

const ANA = { aadObjectId: '6b2a1f3e-0c4d-4e5f-9a8b-7c6d5e4f3a2b', userPrincipalName: 'Ana@Contoso.com' };

describe('isAdmin', () => {
  it('knows admins from MAILROOM_ADMINS by object id or UPN, in any letter case', () => {
    expect(isAdmin(ANA, { configuredAdmins: ['6B2A1F3E-0C4D-4E5F-9A8B-7C6D5E4F3A2B'], teamOwnerIds: [] })).toBe(true);
    expect(isAdmin(ANA, { configuredAdmins: ['ana@contoso.com'], teamOwnerIds: [] })).toBe(true);
  });

  it('knows team owners from the roster', () => {
    expect(isAdmin(ANA, { configuredAdmins: [], teamOwnerIds: [ANA.aadObjectId] })).toBe(true);
  });

  it('refuses everyone else, including a blank id', () => {
    expect(isAdmin(ANA, { configuredAdmins: ['bo@contoso.com'], teamOwnerIds: ['someone-else'] })).toBe(false);
    expect(isAdmin({ aadObjectId: '' }, { configuredAdmins: [''], teamOwnerIds: [''] })).toBe(false);
  });
});
