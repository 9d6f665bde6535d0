/**
 * Builds the Teams app package: appPackage/build/appPackage.<env>.zip holding manifest.json (with every
 * `${{VAR}}` filled in), color.png and outline.png. This is what Teams Toolkit's teamsApp/zipAppPackage does,
 * without the Toolkit, so an admin can upload the app in the Teams admin center or Developer Portal.
 *
 * Values come from env/.env.<env>, then env/.env.<env>.user, then the process environment (last one wins).
 * For the local and playground environments, ids that provisioning has not written yet get sandbox stand-ins,
 * with a warning; for any other environment a missing or empty value stops the build, naming each variable and
 * where it comes from (scripts/app-package-vars.ts), before the schema would complain about what it left behind.
 *
 * Usage: npm run package [-- --env dev] [--out <dir>]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppManifestUtils, type TeamsManifestLatest } from '@microsoft/app-manifest';
import { zipSync } from 'fflate';
import { MAY_BE_EMPTY, missingValuesMessage, schemaProblems } from './app-package-vars.js';

/** Stand-ins used only for local and playground builds made before `teamsapp provision`. */
export const SANDBOX_DEFAULTS: Readonly<Record<string, string>> = {
  TEAMS_APP_ID: '00000000-0000-0000-0000-000000000000',
  BOT_ID: '00000000-0000-0000-0000-000000000000',
  AAD_APP_CLIENT_ID: '00000000-0000-0000-0000-000000000000',
  BOT_DOMAIN: 'localhost:3978',
  TAB_DOMAIN: 'localhost:3978',
  TAB_ENDPOINT: 'http://localhost:3978',
  APP_NAME_SUFFIX: '-local',
};
const SANDBOX_ENVS = new Set(['local', 'playground']);
const ICONS = ['color.png', 'outline.png'] as const;

/** Parses a dotenv file: KEY=value lines, # comments, optional single or double quotes around the value. */
export function parseEnvFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m?.[1]) continue;
    let value = m[2] ?? '';
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2] ?? '';
    else value = value.replace(/\s+#.*$/, '');
    vars[m[1]] = value;
  }
  return vars;
}

/** Replaces each `${{NAME}}`; names with no value at all are reported, not guessed. */
export function substitutePlaceholders(
  template: string,
  vars: Readonly<Record<string, string | undefined>>,
): { text: string; missing: string[] } {
  const missing = new Set<string>();
  const text = template.replace(/\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (whole, name: string) => {
    const value = vars[name];
    if (value === undefined) {
      missing.add(name);
      return whole;
    }
    return value;
  });
  return { text, missing: [...missing].sort() };
}

export interface BuildOptions {
  env: string;
  /** The project root; defaults to the current directory. */
  root?: string;
  /** Overrides on top of the env files, as the process environment would give them. */
  environ?: Readonly<Record<string, string | undefined>>;
  /** Where the zip goes; defaults to <root>/appPackage/build. */
  outDir?: string;
}

export interface BuildResult {
  zipPath: string;
  manifest: TeamsManifestLatest;
  warnings: string[];
}

function readVars(root: string, env: string, environ: Readonly<Record<string, string | undefined>>) {
  const vars: Record<string, string | undefined> = { TEAMSFX_ENV: env };
  for (const file of [`.env.${env}`, `.env.${env}.user`]) {
    const path = join(root, 'env', file);
    if (existsSync(path)) Object.assign(vars, parseEnvFile(readFileSync(path, 'utf8')));
  }
  for (const [k, v] of Object.entries(environ)) if (v !== undefined) vars[k] = v;
  return vars;
}

export async function buildAppPackage(opts: BuildOptions): Promise<BuildResult> {
  const root = resolve(opts.root ?? '.');
  const vars = readVars(root, opts.env, opts.environ ?? {});
  const warnings: string[] = [];
  if (SANDBOX_ENVS.has(opts.env)) {
    // An empty APP_NAME_SUFFIX is a real choice; an empty id only means "not provisioned yet".
    const filled = Object.keys(SANDBOX_DEFAULTS).filter((k) => k !== 'APP_NAME_SUFFIX' && !vars[k]);
    for (const k of filled) vars[k] = SANDBOX_DEFAULTS[k];
    vars.APP_NAME_SUFFIX ??= SANDBOX_DEFAULTS.APP_NAME_SUFFIX;
    if (filled.length > 0) {
      warnings.push(
        `${filled.join(', ')} not provisioned yet: used sandbox stand-ins. Run "teamsapp provision --env ${opts.env}" (Teams Toolkit) before uploading this package to Teams.`,
      );
    }
  }
  const template = readFileSync(join(root, 'appPackage', 'manifest.json'), 'utf8');
  // env/.env.<env> lists every value empty until provisioning fills it: empty is as missing as absent.
  const given = Object.fromEntries(
    Object.entries(vars).filter(([name, value]) => value?.trim() || (value !== undefined && MAY_BE_EMPTY.has(name))),
  );
  const { text, missing } = substitutePlaceholders(template, given);
  if (missing.length > 0) throw new Error(missingValuesMessage(opts.env, missing));
  const manifest = JSON.parse(text) as TeamsManifestLatest;
  const problems = await AppManifestUtils.validateAgainstSchema(manifest);
  if (problems.length > 0) {
    const lines = schemaProblems(template, manifest, problems);
    throw new Error(
      `The manifest for "${opts.env}" does not match its schema; check these values:\n  ${lines.join('\n  ')}`,
    );
  }
  const files: Record<string, Uint8Array> = { 'manifest.json': Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) };
  for (const icon of ICONS) files[icon] = readFileSync(join(root, 'appPackage', icon));
  const outDir = resolve(opts.outDir ?? join(root, 'appPackage', 'build'));
  mkdirSync(outDir, { recursive: true });
  const zipPath = join(outDir, `appPackage.${opts.env}.zip`);
  writeFileSync(zipPath, zipSync(files, { level: 9 }));
  return { zipPath, manifest, warnings };
}

/** `--env dev --out dir` (or `--env=dev`) → options. */
export function parseArgs(argv: readonly string[]): { env: string; outDir: string | undefined } {
  const get = (name: string): string | undefined => {
    const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    if (i < 0) return undefined;
    const arg = argv[i] ?? '';
    return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[i + 1];
  };
  return { env: get('env') ?? 'local', outDir: get('out') };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { env, outDir } = parseArgs(process.argv.slice(2));
  buildAppPackage({ env, environ: process.env, ...(outDir === undefined ? {} : { outDir }) }).then(
    (r) => {
      for (const w of r.warnings) console.warn(`warning: ${w}`);
      console.log(`built ${r.zipPath}`);
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exitCode = 1;
    },
  );
}
