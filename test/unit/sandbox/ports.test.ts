import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../bot/src/config.js';
import { ensurePortFree, movedPorts, PortInUseError, portOf } from '../../../bot/src/sandbox/ports.js';

describe('the local ports', () => {
  let held: Server | undefined;
  afterEach(async () => {
    await new Promise((r) => (held ? held.close(r) : r(undefined)));
    held = undefined;
  });

  async function hold(host?: string, port = 0): Promise<number> {
    const server = createServer();
    held = server;
    await new Promise<void>((r) => server.listen(port, host, r));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    return address.port;
  }

  it('takes each from its variable, with the documented defaults', () => {
    expect(portOf('PORT', {})).toBe(3978);
    expect(portOf('SANDBOX_GRAPH_PORT', {})).toBe(3979);
    expect(portOf('SANDBOX_NETSUITE_PORT', {})).toBe(3980);
    expect(portOf('PLAYGROUND_PORT', {})).toBe(56150);
    expect(portOf('SANDBOX_GRAPH_PORT', { SANDBOX_GRAPH_PORT: '4601' })).toBe(4601);
  });

  it('refuses a value that is not a port, naming the variable', () => {
    for (const bad of ['abc', '0', '70000', '12.5']) {
      expect(() => portOf('PLAYGROUND_PORT', { PLAYGROUND_PORT: bad })).toThrow(ConfigError);
      expect(() => portOf('PLAYGROUND_PORT', { PLAYGROUND_PORT: bad })).toThrow(
        `PLAYGROUND_PORT must be a port number from 1 to 65535; got "${bad}"`,
      );
    }
  });

  it('says in one line which variable moves a port that is taken', async () => {
    const port = await hold('127.0.0.1');
    const refused = ensurePortFree('SANDBOX_NETSUITE_PORT', port, '127.0.0.1');
    await expect(refused).rejects.toBeInstanceOf(PortInUseError);
    await expect(refused).rejects.toThrow(
      `Port ${port} is already in use, so the NetSuite emulator cannot listen on it: stop what holds it (another npm start?) or set SANDBOX_NETSUITE_PORT to a free port.`,
    );
  });

  it('sees a port taken on loopback when it checks every address, as the Playground listens', async () => {
    const port = await hold('127.0.0.1');
    await expect(ensurePortFree('PLAYGROUND_PORT', port)).rejects.toThrow(/set PLAYGROUND_PORT to a free port/);
  });

  it('lets a free port be used right after the check', async () => {
    const port = await hold('127.0.0.1');
    await new Promise((r) => held?.close(r));
    held = undefined;
    await expect(ensurePortFree('PORT', port, '127.0.0.1')).resolves.toBeUndefined();
    expect(await hold('127.0.0.1', port)).toBe(port);
  });

  it('prefixes the printed commands with the ports moved from their defaults only', () => {
    expect(movedPorts({})).toBe('');
    expect(movedPorts({ PORT: '4600', SANDBOX_GRAPH_PORT: '3979', PLAYGROUND_PORT: '4603' })).toBe(
      'PORT=4600 PLAYGROUND_PORT=4603 ',
    );
  });
});
