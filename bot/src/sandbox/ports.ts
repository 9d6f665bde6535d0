import { createServer } from 'node:net';
import { ConfigError } from '../config.js';

/**
 * The four ports of a local run, one variable each, so a second copy of Mailroom (or anything else holding a
 * port) is moved by setting variables, never by editing files. `npm run playground`, `npm run sandbox:email` and
 * the scripts read the same variables, so they follow.
 */
export const PORTS = {
  PORT: { default: 3978, what: 'the bot', owner: 'npm start' },
  SANDBOX_GRAPH_PORT: { default: 3979, what: 'the Graph emulator', owner: 'npm start' },
  SANDBOX_NETSUITE_PORT: { default: 3980, what: 'the NetSuite emulator', owner: 'npm start' },
  PLAYGROUND_PORT: { default: 56150, what: 'the Agents Playground', owner: 'npm run playground' },
} as const;

export type PortVariable = keyof typeof PORTS;

/** The port a variable names, or its default; anything but a whole number from 1 to 65535 is a ConfigError. */
export function portOf(name: PortVariable, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name]?.trim();
  if (!raw) return PORTS[name].default;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError([`${name} must be a port number from 1 to 65535; got "${raw}"`]);
  }
  return port;
}

/**
 * The ports moved from their defaults, as `NAME=value ` to put before a printed command: another terminal's
 * npm script follows the ports only when it sees the same variables.
 */
export function movedPorts(env: NodeJS.ProcessEnv = process.env): string {
  return (Object.keys(PORTS) as PortVariable[])
    .filter((name) => portOf(name, env) !== PORTS[name].default)
    .map((name) => `${name}=${portOf(name, env)} `)
    .join('');
}

/** The one line a person sees when a port is taken: which variable moves it. */
export function portInUseMessage(name: PortVariable, port: number): string {
  const { what, owner } = PORTS[name];
  return `Port ${port} is already in use, so ${what} cannot listen on it: stop what holds it (another ${owner}?) or set ${name} to a free port.`;
}

export class PortInUseError extends Error {
  constructor(
    readonly variable: PortVariable,
    readonly port: number,
  ) {
    super(portInUseMessage(variable, port));
    this.name = 'PortInUseError';
  }
}

/**
 * Resolves when nothing listens on the port (binding it briefly to find out), and rejects with a PortInUseError
 * naming the variable when something does. Checking first keeps the failure to one line: the emulators and the
 * Playground would otherwise crash with a stack trace, or in the Playground's case quietly take a random port.
 */
export async function ensurePortFree(name: PortVariable, port: number, host?: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new PortInUseError(name, port) : err);
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}
