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
