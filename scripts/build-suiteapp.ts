// npm run build:suiteapp: compiles the Mailroom SuiteApp's RESTlet (suiteapp/ts) into its SDF project.
// With --if-stale (npm start), only when the compiled file is missing or older than its sources.
import { buildSuiteApp, ensureSuiteAppBuilt } from '../bot/src/sandbox/netsuite-emulator/suitescript/build.js';

if (process.argv.includes('--if-stale')) {
  await ensureSuiteAppBuilt();
} else {
  const files = await buildSuiteApp();
  process.stdout.write(`SuiteApp built: ${files.length} files in suiteapp/src/FileCabinet/SuiteScripts/Mailroom\n`);
}
