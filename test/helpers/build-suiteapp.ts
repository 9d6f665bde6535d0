// vitest globalSetup: compile the SuiteApp once, before any test worker runs the RESTlet.
import { ensureSuiteAppBuilt } from '../../bot/src/sandbox/netsuite-emulator/suitescript/build.js';

export default async function setup(): Promise<void> {
  await ensureSuiteAppBuilt();
}
