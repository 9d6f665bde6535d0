import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, netsuiteBaseUrl } from '../../bot/src/config.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('config', () => {
  it('runs the sandbox on its embedded defaults when nothing is set', () => {
    const c = loadConfig({});
    expect(c.sandbox).toBe(true);
    expect(c.port).toBe(3978);
    expect(c.databaseUrl).toBe('sqlite:./data/mailroom.db');
    expect(c.graph.baseUrl).toBe('https://graph.microsoft.com/v1.0');
    expect(c.netsuite.auth.kind).toBe('none');
  });

  it('reads CATCHUP_EXCLUDE_FOLDERS as well-known folder names, and names a wrong one at startup', () => {
    expect(loadConfig({}).catchupExcludeFolders).toEqual([]);
    expect(loadConfig({ CATCHUP_EXCLUDE_FOLDERS: 'Archive; outbox' }).catchupExcludeFolders).toEqual([
      'archive',
      'outbox',
    ]);
    expect(problems({ CATCHUP_EXCLUDE_FOLDERS: 'archive,Newsletters' }).join('\n')).toMatch(
      /CATCHUP_EXCLUDE_FOLDERS.*"newsletters" is not one of Graph's well-known folder names: archive, clutter/,
    );
  });

  it('names the missing variable when Graph credentials are partial', () => {
    const p = problems({
      GRAPH_CLIENT_ID: 'abc',
      GRAPH_TENANT_ID: '7f3c1d2e-4b5a-4c6d-8e9f-0a1b2c3d4e5f',
      PUBLIC_URL: 'https://m.example.com',
    });
    expect(p.join('\n')).toMatch(/GRAPH_CLIENT_SECRET is missing/);
    expect(p.join('\n')).not.toMatch(/GRAPH_CLIENT_ID is missing/);
  });

  it('refuses a malformed or plain-http PUBLIC_URL, except on loopback', () => {
    const creds = {
      GRAPH_CLIENT_ID: 'a',
      GRAPH_TENANT_ID: '7f3c1d2e-4b5a-4c6d-8e9f-0a1b2c3d4e5f',
      GRAPH_CLIENT_SECRET: 's',
    };
    expect(problems({ ...creds, PUBLIC_URL: 'not a url' }).join()).toMatch(/PUBLIC_URL "not a url" is not a URL/);
    expect(problems({ ...creds, PUBLIC_URL: 'http://mailroom.example.com' }).join()).toMatch(/must use https/);
    expect(problems({ ...creds, PUBLIC_URL: 'http://127.0.0.1:3978' })).toEqual([]);
    expect(problems(creds).join()).toMatch(/PUBLIC_URL is missing/);
  });

  it('asks for a bot password with a bot id, and a complete NetSuite credential set', () => {
    expect(problems({ BOT_ID: 'x' }).join()).toMatch(/BOT_PASSWORD is missing/);
    expect(problems({ NETSUITE_CLIENT_ID: 'c' }).join()).toMatch(/NetSuite M2M settings are incomplete/);
    expect(problems({ NETSUITE_CONSUMER_KEY: 'k' }).join()).toMatch(/NetSuite TBA settings are incomplete/);
  });

  it('serves the Graph tenant alone (else BOT_TENANT_ID), lower-cased, and refuses a domain name for it', () => {
    const creds = { GRAPH_CLIENT_ID: 'a', GRAPH_CLIENT_SECRET: 's', PUBLIC_URL: 'https://m.example.com' };
    const upper = '7F3C1D2E-4B5A-4C6D-8E9F-0A1B2C3D4E5F';
    expect(loadConfig({ ...creds, GRAPH_TENANT_ID: upper, BOT_TENANT_ID: 'x' }).tenantId).toBe(upper.toLowerCase());
    expect(loadConfig({ BOT_TENANT_ID: upper }).tenantId).toBe(upper.toLowerCase());
    expect(loadConfig({}).tenantId).toBe('');
    expect(problems({ ...creds, GRAPH_TENANT_ID: 'contoso.onmicrosoft.com' }).join()).toMatch(
      /GRAPH_TENANT_ID "contoso.onmicrosoft.com" is not a tenant id: set the Directory \(tenant\) ID GUID/,
    );
  });

  it('derives the NetSuite REST host from the account id', () => {
    expect(netsuiteBaseUrl('123456_SB1')).toBe('https://123456-sb1.suitetalk.api.netsuite.com');
    const c = loadConfig({
      NETSUITE_ACCOUNT_ID: '123456_SB1',
      NETSUITE_CONSUMER_KEY: 'a',
      NETSUITE_CONSUMER_SECRET: 'b',
      NETSUITE_TOKEN_ID: 'c',
      NETSUITE_TOKEN_SECRET: 'd',
    });
    expect(c.netsuite.baseUrl).toBe('https://123456-sb1.suitetalk.api.netsuite.com');
    expect(c.netsuite.auth.kind).toBe('tba');
  });
});
