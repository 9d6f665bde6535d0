import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const LOG = new URL('../../bot/src/log.ts', import.meta.url).href;

/**
 * main.ts logs to standard output asynchronously (issue 14: one blocking write per line was an eighth of an
 * acknowledgement's CPU). Lines queued when the process exits must still reach the output.
 */
describe('asynchronous standard output', () => {
  it('writes every line queued before process.exit', () => {
    const script = `
      const { asyncStdout, createLogger } = await import(${JSON.stringify(LOG)});
      const log = createLogger('info', asyncStdout());
      for (let i = 0; i < 2000; i++) log.info({ i }, 'line');
      process.exit(0);
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { i: number; msg: string });
    expect(lines).toHaveLength(2000);
    expect(lines.at(-1)).toMatchObject({ i: 1999, msg: 'line' });
  });

  it('writes a lone line within a tenth of a second, without waiting for a block to fill', () => {
    // One line, far short of a block; the process is then killed, so only a line already written can be read.
    const script = `
      const { asyncStdout, createLogger } = await import(${JSON.stringify(LOG)});
      const log = createLogger('info', asyncStdout());
      log.info('alone');
      setTimeout(() => process.kill(process.pid, 'SIGKILL'), 500);
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.signal).toBe('SIGKILL');
    expect(
      run.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { msg: string }).msg),
    ).toEqual(['alone']);
  });
});
