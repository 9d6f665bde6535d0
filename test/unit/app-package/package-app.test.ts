import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppManifestUtils, type TeamsManifestLatest } from '@microsoft/app-manifest';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildAppPackage, parseArgs, parseEnvFile, substitutePlaceholders } from '../../../scripts/package-app.js';
import { decodePng } from './decode-png.js';
import { SAMPLE_VARS } from './sample-vars.js';

const root = join(import.meta.dirname, '../../..');
const tmp = () => mkdtempSync(join(tmpdir(), 'mailroom-pkg-'));

function openZip(path: string) {
  const files = unzipSync(readFileSync(path));
  const manifestBytes = files['manifest.json'];
  if (!manifestBytes) throw new Error('no manifest.json in the zip');
  return { files, manifest: JSON.parse(Buffer.from(manifestBytes).toString('utf8')) as TeamsManifestLatest };
}

describe('npm run package (scripts/package-app.ts)', () => {
  it('builds appPackage.<env>.zip with a filled-in, schema-valid manifest and both icons', async () => {
    const outDir = tmp();
    const result = await buildAppPackage({ env: 'dev', root, environ: SAMPLE_VARS, outDir });
    expect(result.zipPath).toBe(join(outDir, 'appPackage.dev.zip'));
    const { files, manifest } = openZip(result.zipPath);
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(JSON.stringify(manifest)).not.toContain('${{');
    expect(manifest.id).toBe(SAMPLE_VARS.TEAMS_APP_ID);
    expect(await AppManifestUtils.validateAgainstSchema(manifest)).toEqual([]);
    const color = decodePng(files['color.png'] ?? new Uint8Array());
    const outline = decodePng(files['outline.png'] ?? new Uint8Array());
    expect([color.width, color.height, outline.width, outline.height]).toEqual([192, 192, 32, 32]);
    expect(result.warnings).toEqual([]);
  });

  it('refuses to build for a cloud environment whose ids are not provisioned, naming them', async () => {
    const environ = { ...SAMPLE_VARS, BOT_ID: undefined, TEAMS_APP_ID: undefined };
    const refused = buildAppPackage({ env: 'staging', root, environ, outDir: tmp() });
    await expect(refused).rejects.toThrow(/^Cannot build the app package for "staging": these values are missing/);
    await expect(refused).rejects.toThrow(/TEAMS_APP_ID +the Teams app's id[\s\S]*BOT_ID +the bot's Entra/);
  });

  it('on a fresh clone, names each empty value of env/.env.dev and where it comes from, not schema errors', async () => {
    let message = '';
    await buildAppPackage({ env: 'dev', root, environ: {}, outDir: tmp() }).catch((e: Error) => {
      message = e.message;
    });
    for (const name of ['TEAMS_APP_ID', 'BOT_ID', 'AAD_APP_CLIENT_ID', 'BOT_DOMAIN', 'TAB_DOMAIN', 'TAB_ENDPOINT']) {
      expect(message).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    }
    expect(message).toContain('provisioned by: aadApp/create "bot app registration"');
    expect(message).toContain('by hand: Azure portal → your Azure Bot → Configuration → Microsoft App ID');
    expect(message).toContain('teamsapp provision --env dev');
    expect(message).toContain('or set each one by hand in env/.env.dev');
    expect(message).not.toMatch(/must match pattern|Details:/);
    // An empty suffix is a choice, not a gap.
    expect(message).not.toContain('APP_NAME_SUFFIX');
  });

  it('refuses a value that makes the manifest invalid, naming the variable and every place it lands', async () => {
    const environ = { ...SAMPLE_VARS, AAD_APP_CLIENT_ID: 'tab-app', TAB_ENDPOINT: 'mailroom.example.com' };
    let message = '';
    await buildAppPackage({ env: 'dev', root, environ, outDir: tmp() }).catch((e: Error) => {
      message = e.message;
    });
    expect(message).toMatch(/AAD_APP_CLIENT_ID="tab-app" must match pattern .* \(at \/webApplicationInfo\/id\)/);
    expect(message).toMatch(
      /TAB_ENDPOINT must match pattern .*\(at \/developer\/websiteUrl, .*\/staticTabs\/0\/contentUrl/,
    );
    expect(message).not.toContain('Details:');
  });

  it('builds a local package before provisioning with sandbox stand-ins, and says so', async () => {
    const result = await buildAppPackage({ env: 'local', root, environ: {}, outDir: tmp() });
    const { manifest } = openZip(result.zipPath);
    expect(manifest.bots?.[0]?.botId).toBe('00000000-0000-0000-0000-000000000000');
    expect(manifest.name.short).toBe('Mailroom-local');
    expect(result.warnings.join(' ')).toMatch(/TEAMS_APP_ID.*teamsapp provision --env local/);
  });

  it('runs from the command line with --env and --out, reading the process environment', () => {
    const outDir = tmp();
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/package-app.ts', '--env', 'dev', '--out', outDir],
      {
        cwd: root,
        env: { ...process.env, ...SAMPLE_VARS },
        encoding: 'utf8',
      },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('appPackage.dev.zip');
    expect(openZip(join(outDir, 'appPackage.dev.zip')).manifest.bots?.[0]?.botId).toBe(SAMPLE_VARS.BOT_ID);
  });

  it('reads dotenv files the way Teams Toolkit writes them', () => {
    const vars = parseEnvFile('# comment\nA=1\nB="two words"\nC=\nexport D=x # trailing\nE=\'q#1\'\nnot a line\n');
    expect(vars).toEqual({ A: '1', B: 'two words', C: '', D: 'x', E: 'q#1' });
  });

  it('replaces every Teams Toolkit placeholder, keeps empty values, and reports the unknown ones', () => {
    const r = substitutePlaceholders(`\${{A}}-\${{ B }}-\${{C}}-\${{A}}`, { A: 'x', B: '' });
    expect(r).toEqual({ text: `x--\${{C}}-x`, missing: ['C'] });
  });

  it('defaults to the local environment', () => {
    expect(parseArgs([])).toEqual({ env: 'local', outDir: undefined });
    expect(parseArgs(['--env=dev', '--out', 'x'])).toEqual({ env: 'dev', outDir: 'x' });
  });
});
