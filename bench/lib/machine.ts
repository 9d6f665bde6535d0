import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpus, freemem, platform, release, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';

export interface Machine {
  cpu: string;
  cores: number;
  memory: string;
  os: string;
  node: string;
  date: string;
}

export function describeMachine(): Machine {
  const list = cpus();
  const gib = (b: number) => `${(b / 1024 ** 3).toFixed(1)} GiB`;
  return {
    cpu: `${list[0]?.model.trim() ?? 'unknown'}${list[0]?.speed ? ` @ ${list[0].speed} MHz` : ''}`,
    cores: list.length,
    memory: `${gib(totalmem())} total, ${gib(freemem())} free at start`,
    os: `${platform()} ${release()}`,
    node: process.version,
    date: new Date().toISOString(),
  };
}

/** How fast this host runs a fixed piece of work right now, in ms (median of 5; lower is faster). */
export interface HostSpeed {
  /** Parse, build and serialize 2,000 small email-like JSON documents, then hash them: one thread of JavaScript. */
  jsMs: number;
  /** Start and exit a node process doing nothing (`node -e 0`): loading, compiling, the kernel's fork and exec. */
  nodeStartMs: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

function fixedTask(): void {
  const hash = createHash('sha256');
  for (let i = 0; i < 2_000; i++) {
    const doc = JSON.parse(
      JSON.stringify({
        id: `AAMk${i}`,
        subject: `Order ${i} is late`,
        from: { emailAddress: { name: 'Ana', address: `ana${i}@fabrikam.example` } },
        toRecipients: Array.from({ length: 5 }, (_, j) => ({ emailAddress: { address: `r${j}@contoso.example` } })),
        body: { contentType: 'html', content: `<p>${'Where is my order? '.repeat(20)}</p>` },
      }),
    ) as { subject: string; body: { content: string } };
    hash.update(`${doc.subject.toUpperCase()}${doc.body.content.replace(/<[^>]+>/g, '')}`);
  }
  hash.digest('hex');
}

/**
 * The same work timed on every run, so two runs of the benchmarks can be told apart by the host's speed: on the
 * shared machine other tenants' load slows every process alike, and each figure of a run moves with it.
 */
export function hostSpeed(): HostSpeed {
  const js: number[] = [];
  const start: number[] = [];
  fixedTask();
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    fixedTask();
    js.push(performance.now() - t);
    const s = performance.now();
    spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    start.push(performance.now() - s);
  }
  return { jsMs: median(js), nodeStartMs: median(start) };
}
