import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../../bot/src/core/error-catalogue.js';

const root = join(import.meta.dirname, '../../..');
const guide = readFileSync(join(root, 'docs/admin.md'), 'utf8');
const troubleshooting = guide.slice(guide.indexOf('## Troubleshooting'));

/** The error catalogue's codes: every code a person can be shown. */
const codes = Object.keys(ERROR_CATALOGUE);

describe('docs/admin.md', () => {
  it('has a troubleshooting entry for every error code Mailroom can show', () => {
    expect(codes.length).toBeGreaterThan(25);
    expect(codes.filter((code) => !troubleshooting.includes(`\`${code}\``))).toEqual([]);
  });

  it('gives the exact Exchange PowerShell for RBAC for Applications and the older access policy', () => {
    for (const cmdlet of [
      'Connect-ExchangeOnline',
      'New-ServicePrincipal -AppId $appId -ObjectId $objectId -DisplayName',
      'New-ManagementScope -Name',
      '-RecipientRestrictionFilter',
      "-Role 'Application Mail.ReadWrite' -CustomResourceScope",
      "-Role 'Application MailboxSettings.Read' -CustomResourceScope",
      'Test-ServicePrincipalAuthorization -Identity $appId -Resource',
      'New-ApplicationAccessPolicy -AppId',
      '-AccessRight RestrictAccess',
    ]) {
      expect(guide).toContain(cmdlet);
    }
  });

  it('explains each Graph permission and the NetSuite role, certificate and mapping', () => {
    for (const text of [
      '`Mail.ReadWrite`',
      '`MailboxSettings.Read`',
      '`User.Read.All`',
      'REST Web Services',
      'Log in using OAuth 2.0 Access Tokens',
      'Track Messages',
      'Documents and Files',
      'OAuth 2.0 Client Credentials (M2M)',
      'openssl req -new -x509 -newkey rsa:4096',
      '/license assign',
      '/watch support@contoso.com',
    ]) {
      expect(guide).toContain(text);
    }
  });
});
