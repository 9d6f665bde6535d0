/**
 * Where each value the app manifest needs comes from, so `npm run package` can say what to do about a missing
 * one instead of printing the schema errors its empty placeholder causes. The provision steps are teamsapp.yml's;
 * the host names are outputs of infra/azure.bicep.
 */
export interface VariableSource {
  /** What the value is. */
  what: string;
  /** The teamsapp.yml step that writes it into env/.env.<env> during `teamsapp provision`. */
  provisionedBy: string;
  /** Where to find it when setting it by hand. */
  byHand: string;
}

export const MANIFEST_VARIABLES: Readonly<Record<string, VariableSource>> = {
  TEAMS_APP_ID: {
    what: "the Teams app's id (a GUID)",
    provisionedBy: 'teamsApp/create',
    byHand:
      'a new GUID of your own (node -p "crypto.randomUUID()"), or the app id Teams Developer Portal shows under Apps → Mailroom → Basic information',
  },
  BOT_ID: {
    what: "the bot's Entra app (client) id",
    provisionedBy: 'aadApp/create "bot app registration"',
    byHand: 'Azure portal → your Azure Bot → Configuration → Microsoft App ID',
  },
  AAD_APP_CLIENT_ID: {
    what: "the Dashboard tab's single sign-on Entra app (client) id",
    provisionedBy: 'aadApp/create "tab SSO app registration"',
    byHand: 'Entra admin center → App registrations → "Mailroom tab" → Application (client) ID',
  },
  BOT_DOMAIN: {
    what: 'the host name Mailroom is served on, without https:// (e.g. mailroom-x1y2.azurewebsites.net)',
    provisionedBy: 'arm/deploy (infra/azure.bicep output BOT_DOMAIN)',
    byHand: "Azure portal → the Web App → Default domain, or your own host's name",
  },
  TAB_DOMAIN: {
    what: "the Dashboard tab's host name, the same as BOT_DOMAIN",
    provisionedBy: 'arm/deploy (infra/azure.bicep output TAB_DOMAIN)',
    byHand: 'the value of BOT_DOMAIN',
  },
  TAB_ENDPOINT: {
    what: "the Dashboard tab's base URL",
    provisionedBy: 'arm/deploy (infra/azure.bicep output TAB_ENDPOINT)',
    byHand: 'https:// followed by BOT_DOMAIN',
  },
};

/** Placeholders whose empty value is a real choice, not a gap. */
export const MAY_BE_EMPTY: ReadonlySet<string> = new Set(['APP_NAME_SUFFIX']);

/** The message for a package that cannot be built because values are missing: each one, and how to get it. */
export function missingValuesMessage(env: string, names: readonly string[]): string {
  // In the order provisioning creates them, then any other.
  const order = Object.keys(MANIFEST_VARIABLES);
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  const missing = [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const width = Math.max(...missing.map((name) => name.length));
  const lines = [
    `Cannot build the app package for "${env}": ${missing.length === 1 ? 'this value is' : 'these values are'} missing or empty.`,
    '',
  ];
  for (const name of missing) {
    const source = MANIFEST_VARIABLES[name];
    const pad = ' '.repeat(width + 4);
    if (!source) {
      lines.push(`  ${name.padEnd(width)}  (used by appPackage/manifest.json)`);
      continue;
    }
    lines.push(`  ${name.padEnd(width)}  ${source.what}`);
    lines.push(`${pad}provisioned by: ${source.provisionedBy}`);
    lines.push(`${pad}by hand: ${source.byHand}`);
  }
  lines.push(
    '',
    `Either provision first, which writes them all into env/.env.${env}:`,
    `  npm install -g @microsoft/teamsapp-cli && teamsapp provision --env ${env}     (see docs/admin.md)`,
    `or set each one by hand in env/.env.${env} (or in the environment of this command), then run this again.`,
  );
  return lines.join('\n');
}

function at(json: unknown, pointer: string): unknown {
  let node = json;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

/**
 * The schema validator's complaints about a filled-in manifest, told as the values that caused them:
 * `/bots/0/botId must match pattern … Details: {…}` becomes `BOT_ID="nope" must match pattern … (at /bots/0/botId)`,
 * one line per variable and complaint however many places the template uses it.
 */
export function schemaProblems(template: string, manifest: unknown, problems: readonly string[]): string[] {
  const parsed: unknown = JSON.parse(template);
  const lines = new Map<string, string[]>();
  for (const problem of problems) {
    const m = /^(\/\S*) (.*?)(?:\. Details: .*)?$/.exec(problem);
    const pointer = m?.[1];
    const complaint = m?.[2];
    const source = pointer ? at(parsed, pointer) : undefined;
    const names = typeof source === 'string' ? [...source.matchAll(/\$\{\{\s*(\w+)\s*\}\}/g)].map((x) => x[1]) : [];
    if (!pointer || !complaint || names.length === 0) {
      lines.set(problem, []);
      continue;
    }
    // The value itself only where the template holds nothing but the placeholder.
    const whole = typeof source === 'string' && /^\$\{\{\s*\w+\s*\}\}$/.test(source);
    const value = whole ? `=${JSON.stringify(at(manifest, pointer))}` : '';
    const key = `${names.join(', ')}${value} ${complaint}`;
    lines.set(key, [...(lines.get(key) ?? []), pointer]);
  }
  return [...lines].map(([line, pointers]) => (pointers.length > 0 ? `${line} (at ${pointers.join(', ')})` : line));
}
