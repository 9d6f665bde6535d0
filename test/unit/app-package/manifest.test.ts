import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AppManifestUtils, type TeamsManifestLatest } from '@microsoft/app-manifest';
import { describe, expect, it } from 'vitest';
import { Command } from '../../../bot/src/teams/actions.js';
import { substitutePlaceholders } from '../../../scripts/package-app.js';
import { SAMPLE_VARS } from './sample-vars.js';

const root = join(import.meta.dirname, '../../..');
const template = readFileSync(join(root, 'appPackage/manifest.json'), 'utf8');

function sampleManifest(overrides: Record<string, string> = {}): TeamsManifestLatest {
  const { text, missing } = substitutePlaceholders(template, { ...SAMPLE_VARS, ...overrides });
  expect(missing).toEqual([]);
  return JSON.parse(text) as TeamsManifestLatest;
}

describe('appPackage/manifest.json', () => {
  it('uses a schema of 1.19 or later that @microsoft/app-manifest bundles, so validation runs offline', () => {
    const m = JSON.parse(template) as { $schema: string; manifestVersion: string };
    const [major, minor] = m.manifestVersion.split('.').map(Number);
    expect(major).toBe(1);
    expect(minor).toBeGreaterThanOrEqual(19);
    expect(m.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${m.manifestVersion}/MicrosoftTeams.schema.json`,
    );
    const pkgDir = dirname(createRequire(import.meta.url).resolve('@microsoft/app-manifest'));
    expect(existsSync(join(pkgDir, `json-schemas/teams/v${m.manifestVersion}/MicrosoftTeams.schema.json`))).toBe(true);
  });

  it('is valid against its schema once the Teams Toolkit placeholders are filled in', async () => {
    expect(await AppManifestUtils.validateAgainstSchema(sampleManifest())).toEqual([]);
  });

  it('is rejected by the same check when a placeholder gets a value of the wrong shape', async () => {
    const errors = await AppManifestUtils.validateAgainstSchema(sampleManifest({ BOT_ID: 'not-a-guid' }));
    expect(errors.join('\n')).toMatch(/botId/);
  });

  it('uses only Teams Toolkit placeholders that the env templates declare', () => {
    const used = [...template.matchAll(/\$\{\{([A-Z_]+)\}\}/g)].map((m) => m[1]);
    expect(new Set(used)).toEqual(new Set(Object.keys(SAMPLE_VARS)));
    for (const env of ['dev', 'local']) {
      const file = readFileSync(join(root, `env/.env.${env}`), 'utf8');
      for (const name of Object.keys(SAMPLE_VARS))
        expect(file, `${name} in env/.env.${env}`).toMatch(new RegExp(`^${name}=`, 'm'));
    }
  });

  it('declares a conversational bot in team, personal and group chat', () => {
    const bot = sampleManifest().bots?.[0];
    expect(bot?.botId).toBe(SAMPLE_VARS.BOT_ID);
    expect(bot?.scopes).toEqual(['team', 'personal', 'groupChat']);
    expect(bot?.isNotificationOnly).toBe(false);
  });

  it('lists exactly the chat commands Mailroom implements, for team and for personal, each described', () => {
    const implemented = Object.values(Command).map((c) => `/${c}`);
    const lists = sampleManifest().bots?.[0]?.commandLists ?? [];
    for (const scope of ['team', 'personal'] as const) {
      const list = lists.find((l) => l.scopes.includes(scope));
      expect(list?.commands.map((c) => c.title)).toEqual(implemented);
      for (const c of list?.commands ?? []) expect(c.description?.length ?? 0).toBeGreaterThan(20);
    }
  });

  it('has one messaging extension on the same bot: the NetSuite search, Save to NetSuite and NetSuite links', () => {
    const extensions = sampleManifest().composeExtensions ?? [];
    expect(extensions).toHaveLength(1);
    const ext = extensions[0];
    expect(ext?.botId).toBe(SAMPLE_VARS.BOT_ID);
    const search = ext?.commands?.find((c) => c.id === 'netsuiteSearch');
    expect(search).toMatchObject({ type: 'query', title: 'NetSuite', initialRun: true });
    expect(search?.parameters?.map((p) => p.name)).toEqual(['query']);
    const save = ext?.commands?.find((c) => c.id === 'saveToNetSuite');
    expect(save).toMatchObject({ type: 'action', title: 'Save to NetSuite', fetchTask: true, context: ['message'] });
    const domains = ext?.messageHandlers?.flatMap((h) => (h.type === 'link' ? (h.value.domains ?? []) : [])) ?? [];
    const unfurls = (host: string) =>
      domains.some((d) => (d.startsWith('*.') ? host.endsWith(d.slice(1)) : host === d));
    expect(unfurls('1234567.app.netsuite.com')).toBe(true);
    expect(unfurls('1234567-sb1.app.netsuite.com')).toBe(true);
    expect(unfurls('app.netsuite.com.evil.example')).toBe(false);
  });

  it('pins the Dashboard tab in personal and team scope, served by the bot under /tab', () => {
    const tab = sampleManifest().staticTabs?.find((t) => t.name === 'Dashboard');
    expect(tab?.scopes).toEqual(['personal', 'team']);
    expect(tab?.contentUrl).toBe(`${SAMPLE_VARS.TAB_ENDPOINT}/tab/index.html`);
    expect(tab?.websiteUrl).toBe(`${SAMPLE_VARS.TAB_ENDPOINT}/tab/index.html`);
  });

  it('points tab SSO at the Entra app whose identifier URI aad.manifest.json exposes', () => {
    const m = sampleManifest();
    expect(m.webApplicationInfo).toEqual({
      id: SAMPLE_VARS.AAD_APP_CLIENT_ID,
      resource: `api://${SAMPLE_VARS.TAB_DOMAIN}/${SAMPLE_VARS.AAD_APP_CLIENT_ID}`,
    });
    const aad = JSON.parse(
      substitutePlaceholders(readFileSync(join(root, 'aad.manifest.json'), 'utf8'), SAMPLE_VARS).text,
    );
    expect(aad.identifierUris).toContain(m.webApplicationInfo?.resource);
    expect(m.validDomains).toContain(SAMPLE_VARS.BOT_DOMAIN);
  });
});
