import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { loadConfig, RESTLET_DEPLOY_ID, RESTLET_SCRIPT_ID } from '../../../bot/src/config.js';
import { REQUIRED_TAGS, scriptHeader } from '../../../bot/src/sandbox/netsuite-emulator/suitescript/build.js';

// The SDF project an admin deploys (suiteapp/src): well-formed XML, the ids Mailroom calls by default, and a
// compiled RESTlet whose header NetSuite accepts. (The compiled file is built by the tests' globalSetup.)

const SRC = 'suiteapp/src';
const xmlFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? xmlFiles(join(dir, e.name)) : e.name.endsWith('.xml') ? [join(dir, e.name)] : [],
  );
const parse = (file: string) =>
  new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(readFileSync(file, 'utf8')) as Record<
    string,
    Record<string, unknown>
  >;

describe('the SuiteApp SDF project', () => {
  it('holds only well-formed XML: manifest, deploy and the script object', () => {
    const files = xmlFiles(SRC);
    expect(files.map((f) => f.slice(SRC.length + 1)).sort()).toEqual([
      'Objects/customscript_mailroom_save.xml',
      'deploy.xml',
      'manifest.xml',
    ]);
    for (const f of files) expect(XMLValidator.validate(readFileSync(f, 'utf8')), f).toBe(true);
    expect(XMLValidator.validate('<restlet scriptid="x"><name>unclosed</restlet>')).not.toBe(true);
  });

  it('is an account customization project that deploys its File Cabinet files and its objects', () => {
    const manifest = parse(join(SRC, 'manifest.xml')).manifest ?? {};
    expect(manifest['@projecttype']).toBe('ACCOUNTCUSTOMIZATION');
    expect(manifest.frameworkversion).toBe(1);
    const deploy = parse(join(SRC, 'deploy.xml')).deploy ?? {};
    expect(deploy).toEqual({ files: { path: '~/FileCabinet/*' }, objects: { path: '~/Objects/*' } });
  });

  it('deploys the RESTlet under the script and deployment ids Mailroom calls by default, released', () => {
    const restlet = parse(join(SRC, 'Objects', 'customscript_mailroom_save.xml')).restlet ?? {};
    // SDF: an object's script id is its file name; the prefixes are customscript_ and customdeploy_.
    expect(restlet['@scriptid']).toBe(RESTLET_SCRIPT_ID);
    const deployment = (restlet.scriptdeployments as { scriptdeployment: Record<string, unknown> }).scriptdeployment;
    expect(deployment['@scriptid']).toBe(RESTLET_DEPLOY_ID);
    expect(deployment).toMatchObject({ status: 'RELEASED', isdeployed: 'T' });
    expect(String(restlet.name).length).toBeLessThanOrEqual(40);
    const config = loadConfig({});
    expect(config.netsuite.restlet).toMatchObject({ scriptId: RESTLET_SCRIPT_ID, deployId: RESTLET_DEPLOY_ID });
    // The script file it names is the compiled RESTlet in this project's File Cabinet.
    expect(restlet.scriptfile).toBe('[/SuiteScripts/Mailroom/mailroom_save_restlet.js]');
    expect(existsSync(join(SRC, 'FileCabinet/SuiteScripts/Mailroom/mailroom_save_restlet.js'))).toBe(true);
  });

  it('compiles to a RESTlet whose header carries @NApiVersion 2.1 and @NScriptType Restlet', () => {
    const js = readFileSync(join(SRC, 'FileCabinet/SuiteScripts/Mailroom/mailroom_save_restlet.js'), 'utf8');
    const header = scriptHeader(js);
    for (const tag of REQUIRED_TAGS) expect(header).toContain(tag);
    expect(js).toMatch(/^\/\*\*[\s\S]*?\*\/\s*define\(\[/);
  });

  it('would notice the trap: tsc drops a JSDoc block that sits directly on the first import', () => {
    const source = `/**\n * @NApiVersion 2.1\n * @NScriptType Restlet\n */\nimport * as record from 'N/record';\nexport const post = () => record.Type;\n`;
    const out = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.AMD } }).outputText;
    expect(scriptHeader(out)).not.toContain('@NApiVersion');
    const fixed = source.replace(' */\n', ' */\n\n');
    expect(
      scriptHeader(ts.transpileModule(fixed, { compilerOptions: { module: ts.ModuleKind.AMD } }).outputText),
    ).toContain('@NApiVersion 2.1');
  });

  it('ships the attachments folder the RESTlet finds by its marker file', () => {
    const source = readFileSync('suiteapp/ts/mailroom_save.ts', 'utf8');
    const marker = /ATTACHMENTS_MARKER = '([^']+)'/.exec(source)?.[1] ?? '';
    expect(marker).toBe('SuiteScripts/Mailroom/Attachments/README.txt');
    expect(existsSync(join(SRC, 'FileCabinet', marker))).toBe(true);
  });
});
