import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseEnvFile } from '../../../scripts/package-app.js';

const root = join(import.meta.dirname, '../../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const placeholders = (text: string) =>
  new Set([...text.matchAll(/\$\{\{\s*([A-Z_0-9]+)\s*\}\}/g)].map((m) => m[1] ?? ''));

/** Every setting Mailroom reads, taken from the zod schema in bot/src/config.ts. */
const configNames = [...read('bot/src/config.ts').matchAll(/^ {2}([A-Z][A-Z0-9_]+): z\./gm)].map((m) => m[1] ?? '');

/** DESIGN.md's public contract, plus the settings the issues add. */
const CONTRACT = [
  'PORT',
  'PUBLIC_URL',
  'DATABASE_URL',
  'BOT_ID',
  'BOT_PASSWORD',
  'BOT_TENANT_ID',
  'BOT_TYPE',
  'GRAPH_TENANT_ID',
  'GRAPH_CLIENT_ID',
  'GRAPH_CLIENT_SECRET',
  'GRAPH_BASE_URL',
  'AUTHORITY_HOST',
  'NETSUITE_ACCOUNT_ID',
  'NETSUITE_BASE_URL',
  'NETSUITE_CLIENT_ID',
  'NETSUITE_CERTIFICATE_ID',
  'NETSUITE_PRIVATE_KEY',
  'NETSUITE_PRIVATE_KEY_FILE',
  'NETSUITE_CONSUMER_KEY',
  'NETSUITE_CONSUMER_SECRET',
  'NETSUITE_TOKEN_ID',
  'NETSUITE_TOKEN_SECRET',
  'NETSUITE_CONCURRENCY',
  'MAILROOM_ADMINS',
  'LICENSE_KEY',
  'LICENSE_PUBLIC_KEY',
  'NETSUITE_FOLDER_ID',
  'TAB_CLIENT_ID',
  'TAB_OPENID_METADATA_URL',
  'CATCHUP_INTERVAL_MINUTES',
  'CATCHUP_EXCLUDE_FOLDERS',
  'LOG_LEVEL',
];

/** Values Teams Toolkit itself provides, or writes into the .user file during provision. */
const TOOLKIT_PROVIDED = ['TEAMSFX_ENV', 'SECRET_BOT_PASSWORD', 'SECRET_GRAPH_CLIENT_SECRET'];

interface Action {
  uses: string;
  with?: Record<string, unknown>;
  writeToEnvironmentFile?: Record<string, string>;
}

describe('Teams Toolkit environment templates', () => {
  it.each(['dev', 'local'])('env/.env.%s names every setting Mailroom reads', (env) => {
    const text = read(`env/.env.${env}`);
    expect(configNames.length).toBeGreaterThan(25);
    for (const name of new Set([...CONTRACT, ...configNames])) {
      expect(text, `${name} in env/.env.${env}`).toMatch(new RegExp(`\\b${name}\\b`));
    }
  });

  it.each(['dev', 'local', 'playground'])('env/.env.%s commits no secret value', (env) => {
    const vars = parseEnvFile(read(`env/.env.${env}`));
    const secretish = Object.entries(vars).filter(([k]) =>
      /SECRET|PASSWORD|PRIVATE_KEY$|TOKEN_ID|LICENSE_KEY$/.test(k),
    );
    expect(secretish.filter(([, v]) => v !== '')).toEqual([]);
  });

  it.each([
    [
      'dev',
      [
        'teamsapp.yml',
        'infra/azure.parameters.json',
        'aad.manifest.json',
        'aad.graph.manifest.json',
        'appPackage/manifest.json',
      ],
    ],
    ['local', ['teamsapp.local.yml', 'aad.manifest.json', 'appPackage/manifest.json']],
    ['playground', ['teamsapp.playground.yml']],
  ] as const)(
    'every placeholder used with the %s environment is declared or written by Teams Toolkit',
    (env, files) => {
      const declared = new Set([...Object.keys(parseEnvFile(read(`env/.env.${env}`))), ...TOOLKIT_PROVIDED]);
      for (const file of files) {
        const undeclared = [...placeholders(read(file))].filter((name) => !declared.has(name));
        expect(undeclared, file).toEqual([]);
      }
    },
  );
});

describe('teamsapp.yml', () => {
  const yml = parseYaml(read('teamsapp.yml')) as { version: string; provision: Action[]; deploy: Action[] };

  it('provisions the Teams app, three Entra apps, Azure, then validates, zips and updates the app', () => {
    expect(yml.version).toBe('v1.8');
    expect(yml.provision.map((a) => a.uses)).toEqual([
      'teamsApp/create',
      'aadApp/create',
      'aadApp/create',
      'aadApp/create',
      'arm/deploy',
      'aadApp/update',
      'aadApp/update',
      'teamsApp/validateManifest',
      'teamsApp/zipAppPackage',
      'teamsApp/validateAppPackage',
      'teamsApp/update',
    ]);
    const written = yml.provision.flatMap((a) => Object.values(a.writeToEnvironmentFile ?? {}));
    expect(written).toEqual(
      expect.arrayContaining(['BOT_ID', 'SECRET_BOT_PASSWORD', 'GRAPH_CLIENT_ID', 'AAD_APP_CLIENT_ID']),
    );
  });

  it('deploys by building and zip-deploying to the App Service that arm/deploy created', () => {
    const zip = yml.deploy.find((a) => a.uses === 'azureAppService/zipDeploy');
    expect(zip?.with?.resourceId).toBe(`\${{BOT_AZURE_APP_SERVICE_RESOURCE_ID}}`);
    expect(read('infra/azure.bicep')).toMatch(/^output BOT_AZURE_APP_SERVICE_RESOURCE_ID string/m);
  });

  it('local: registers the bot at the dev tunnel and writes the runtime settings', () => {
    const local = parseYaml(read('teamsapp.local.yml')) as { provision: Action[]; deploy: Action[] };
    const bot = local.provision.find((a) => a.uses === 'botFramework/create');
    expect(bot?.with?.messagingEndpoint).toBe(`\${{BOT_ENDPOINT}}/api/messages`);
    const envs = local.deploy.find((a) => a.uses === 'file/createOrUpdateEnvironmentFile')?.with?.envs;
    expect(Object.keys(envs ?? {}).sort()).toEqual(
      configNames.filter((n) => !['BOT_OPENID_METADATA', 'BOT_TOKEN_ISSUER'].includes(n)).sort(),
    );
  });
});

describe('tab SSO Entra manifest', () => {
  it('exposes access_as_user and pre-authorises Teams desktop/mobile and web for it', () => {
    const aad = JSON.parse(read('aad.manifest.json'));
    const scope = aad.api.oauth2PermissionScopes.find((s: { value: string }) => s.value === 'access_as_user');
    expect(scope?.type).toBe('User');
    const clients = Object.fromEntries(
      aad.api.preAuthorizedApplications.map((p: { appId: string; delegatedPermissionIds: string[] }) => [
        p.appId,
        p.delegatedPermissionIds,
      ]),
    );
    expect(clients).toEqual({
      '1fec8e78-bce4-4aaf-ab1b-5451cc387264': [scope.id],
      '5e3ce6c0-2b1f-4285-8d4b-75ee78787346': [scope.id],
    });
  });
});

describe('infra/azure.bicep', () => {
  const bicep = read('infra/azure.bicep');
  const params = JSON.parse(read('infra/azure.parameters.json')).parameters as Record<string, unknown>;
  const declared = [...bicep.matchAll(/^param (\w+) \w+( = .*)?$/gm)].map((m) => ({
    name: m[1] ?? '',
    optional: !!m[2],
  }));
  const settingsBlock = bicep.slice(bicep.indexOf("name: 'appsettings'"), bicep.indexOf("resource bot '"));
  const settings = [...settingsBlock.matchAll(/^ {4}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1] ?? '');

  it('gets a value for every required parameter, and only for parameters it declares', () => {
    const names = declared.map((p) => p.name);
    expect(Object.keys(params).filter((p) => !names.includes(p))).toEqual([]);
    expect(declared.filter((p) => !p.optional && !(p.name in params)).map((p) => p.name)).toEqual([]);
  });

  it('sets the app settings under the names Mailroom reads, secrets as Key Vault references', () => {
    expect(settings.filter((s) => !configNames.includes(s) && s !== 'SCM_DO_BUILD_DURING_DEPLOYMENT')).toEqual([]);
    const expected = CONTRACT.filter((n) => n !== 'PORT'); // App Service sets PORT itself
    expect(expected.filter((n) => !settings.includes(n))).toEqual([]);
    for (const secret of ['BOT_PASSWORD', 'GRAPH_CLIENT_SECRET', 'DATABASE_URL', 'LICENSE_KEY']) {
      expect(settingsBlock).toMatch(new RegExp(`${secret}: .*kvRef`));
    }
  });

  it('runs Node 20 on Linux with Always On, a Teams channel and PostgreSQL, and documents its replicas', () => {
    expect(bicep).toContain("linuxFxVersion: 'NODE|20-lts'");
    expect(bicep).toContain('alwaysOn: true');
    expect(bicep).toContain("channelName: 'MsTeamsChannel'");
    expect(bicep).toContain(`endpoint: 'https://\${webApp.properties.defaultHostName}/api/messages'`);
    expect(bicep).toMatch(/Microsoft\.DBforPostgreSQL\/flexibleServers@/);
    expect(bicep).toMatch(/FOR UPDATE SKIP LOCKED/);
    expect(bicep).toMatch(/param instanceCount int = 2/);
  });
});
