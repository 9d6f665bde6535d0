import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import type { RecordStore } from '../store.js';
import { errorModule } from './error.js';
import { fileModule } from './file.js';
import { Governance } from './governance.js';
import { queryModule } from './query.js';
import { recordModule } from './record.js';
import { searchModule } from './search.js';

/** Where `npm run build:suiteapp` puts the compiled SuiteScript files: the SDF project's own File Cabinet folder. */
export const SUITEAPP_SCRIPTS_DIR = fileURLToPath(
  new URL('../../../../../suiteapp/src/FileCabinet/SuiteScripts/Mailroom/', import.meta.url),
);
export const RESTLET_FILE = 'mailroom_save_restlet.js';

export interface Restlet {
  post?: (body: unknown) => unknown;
  get?: (params: Record<string, string>) => unknown;
  put?: (body: unknown) => unknown;
  delete?: (params: Record<string, string>) => unknown;
}

/**
 * Runs a compiled SuiteScript AMD module the way NetSuite's loader does: `define(deps, factory)`, with `N/*`
 * answered by the in-memory modules over `store` and relative ids by sibling files. Nothing else is in scope.
 */
export function loadRestlet(store: RecordStore, dir = SUITEAPP_SCRIPTS_DIR, file = RESTLET_FILE): Restlet {
  const governance = new Governance();
  const modules: Record<string, unknown> = {
    'N/record': recordModule(store, governance),
    'N/file': fileModule(store, governance),
    'N/search': searchModule(store, governance),
    'N/query': queryModule(store, governance),
    'N/error': errorModule,
  };
  const loaded = new Map<string, unknown>();
  const load = (name: string): unknown => {
    const hit = loaded.get(name);
    if (hit) return hit;
    const text = readFileSync(join(dir, name.endsWith('.js') ? name : `${name}.js`), 'utf8');
    let exported: unknown;
    const define = (deps: string[], factory: (...args: unknown[]) => unknown) => {
      const exports: Record<string, unknown> = {};
      const args = deps.map((d) => {
        if (d === 'exports') return exports;
        if (d === 'require')
          return () => {
            throw new Error('dynamic require is not emulated');
          };
        if (d.startsWith('./')) return load(d.slice(2));
        if (d in modules) return modules[d];
        throw new Error(`${name}: module ${d} is not emulated`);
      });
      const returned = factory(...args);
      exported = returned ?? exports;
    };
    runInNewContext(text, { define }, { filename: join(dir, name) });
    if (exported === undefined) throw new Error(`${name} did not call define()`);
    loaded.set(name, exported);
    return exported;
  };
  const script = load(file) as Restlet;
  // Each call is one script execution, with its own 5,000 units.
  const entry =
    <A>(fn: ((arg: A) => unknown) | undefined) =>
    (arg: A): unknown => {
      governance.reset();
      if (!fn) throw new Error('no such entry point');
      return fn(arg);
    };
  const out: Restlet = {};
  if (script.post) out.post = entry(script.post);
  if (script.get) out.get = entry(script.get);
  if (script.put) out.put = entry(script.put);
  if (script.delete) out.delete = entry(script.delete);
  return out;
}
