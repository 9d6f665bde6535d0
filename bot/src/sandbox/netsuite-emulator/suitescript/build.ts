import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESTLET_FILE, SUITEAPP_SCRIPTS_DIR } from './restlet.js';

const SUITEAPP = fileURLToPath(new URL('../../../../../suiteapp/', import.meta.url));
const TS_DIR = join(SUITEAPP, 'ts');

/** The JSDoc tags NetSuite reads from an entry point script's header (SuiteScript 2.1 JSDoc Tags, https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/bridgehead_4387808822.html). */
export const REQUIRED_TAGS = ['@NApiVersion 2.1', '@NScriptType Restlet'];

/** The header block of a compiled script: the comment before `define(`, or '' when there is none. */
export function scriptHeader(js: string): string {
  const m = /^\s*(\/\*\*[\s\S]*?\*\/)\s*define\(/.exec(js);
  return m?.[1] ?? '';
}

/**
 * Compiles suiteapp/ts to the AMD modules SuiteScript loads (suiteapp/tsconfig.json: type-checked against
 * @hitc/netsuite-types), then checks that the RESTlet file still opens with its JSDoc tags.
 */
export async function buildSuiteApp(): Promise<string[]> {
  const ts = (await import('typescript')).default;
  const configPath = join(SUITEAPP, 'tsconfig.json');
  const cfg = ts.readConfigFile(configPath, ts.sys.readFile);
  if (cfg.error) throw new Error(ts.flattenDiagnosticMessageText(cfg.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(cfg.config, ts.sys, dirname(configPath));
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  const written: string[] = [];
  const emitted = program.emit(undefined, (file, text) => {
    ts.sys.writeFile(file, text);
    written.push(file);
  });
  const problems = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
  if (problems.length > 0) {
    throw new Error(
      ts.formatDiagnostics(problems, {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => SUITEAPP,
        getNewLine: () => '\n',
      }),
    );
  }
  const header = scriptHeader(readFileSync(join(SUITEAPP_SCRIPTS_DIR, RESTLET_FILE), 'utf8'));
  for (const tag of REQUIRED_TAGS) {
    if (!header.includes(tag)) throw new Error(`${RESTLET_FILE}: the compiled header lacks ${tag}`);
  }
  return written;
}

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds the SuiteApp when its compiled RESTlet is missing or older than its sources (a fresh clone, an edit). */
export async function ensureSuiteAppBuilt(): Promise<void> {
  const out = join(SUITEAPP_SCRIPTS_DIR, RESTLET_FILE);
  if (existsSync(out) && statSync(out).mtimeMs >= newest(TS_DIR)) return;
  await buildSuiteApp();
}
