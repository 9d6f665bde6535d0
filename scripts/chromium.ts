import { existsSync } from 'node:fs';

/** Debian's Chromium (`apt-get install chromium`), which playwright-core drives; CHROMIUM points elsewhere. */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Headless in a container: no sandbox or GPU, and none of the background traffic a fresh profile starts. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Why the browser tests cannot run here, with the fix; undefined when Chromium is installed. */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  return `headless Chromium is not at ${CHROMIUM}. Install it with \`apt-get install -y chromium\`, or set CHROMIUM=<path>.`;
}
