import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
}

/** One sample: when (µs, monotonic clock), for how long, the function on top and who it ran for. */
export interface Sample {
  at: number;
  us: number;
  frame: string;
  owner: string;
}

export interface Share {
  name: string;
  ms: number;
  /** Of all busy (not idle) sampled time in the window. */
  share: number;
}

export interface ProfileSummary {
  busyMs: number;
  /** Self time by function (name, file:line). */
  frames: Share[];
  /** Self time by the package or Mailroom file nearest the top of each stack: who the time was spent for. */
  owners: Share[];
}

/** Mailroom's own files: its sources (under tsx) or the build `npm start` runs (a profile gives the .js lines). */
const MAILROOM_DIRS = ['/bot/src/', '/dist/bot/'];

function mailroomFile(url: string): string | undefined {
  for (const d of MAILROOM_DIRS) {
    const i = url.indexOf(d);
    if (i >= 0) return `${d.slice(1)}${url.slice(i + d.length)}`;
  }
  return undefined;
}

/** The package (or, with `file`, its file) or the Mailroom file of a script URL. */
function place(url: string, file = false): string {
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const path = url.slice(nm + '/node_modules/'.length);
    if (file) return path;
    const parts = path.split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? url);
  }
  return mailroomFile(url) ?? url.replace(/^file:\/\//, '');
}

/** The first frame from the top of the stack that is in a package or in Mailroom; else Node itself. */
function ownerOf(stack: ProfileNode[]): string {
  const leaf = stack[0]?.callFrame.functionName ?? '';
  if (leaf === '(garbage collector)' || leaf === '(program)') return leaf;
  for (const n of stack) {
    const url = n.callFrame.url;
    if (url.includes('/node_modules/') || mailroomFile(url) !== undefined) return place(url);
  }
  return 'node internals';
}

/** Every busy sample of every .cpuprofile in `dir` (Node writes one per thread). */
export function readSamples(dir: string): Sample[] {
  const out: Sample[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const p = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const byId = new Map(p.nodes.map((x) => [x.id, x]));
    const parent = new Map<number, number>();
    for (const x of p.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
    const memo = new Map<number, { frame: string; owner: string } | null>();
    const describe = (id: number) => {
      if (memo.has(id)) return memo.get(id) ?? null;
      const node = byId.get(id);
      let d: { frame: string; owner: string } | null = null;
      if (node && node.callFrame.functionName !== '(idle)') {
        const f = node.callFrame;
        const stack: ProfileNode[] = [];
        for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
          const x = byId.get(cur);
          if (x) stack.push(x);
        }
        const at = f.url ? ` ${place(f.url, true)}:${f.lineNumber + 1}` : '';
        d = { frame: `${f.functionName || '(anonymous)'}${at}`, owner: ownerOf(stack) };
      }
      memo.set(id, d);
      return d;
    };
    let t = p.startTime;
    p.samples.forEach((id, i) => {
      t += p.timeDeltas[i] ?? 0;
      const d = describe(id);
      if (d) out.push({ at: t, us: p.timeDeltas[i + 1] ?? 0, ...d });
    });
  }
  return out.sort((a, b) => a.at - b.at);
}

function top(map: Map<string, number>, busy: number, n: number): Share[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => ({ name, ms: us / 1000, share: busy > 0 ? us / busy : 0 }));
}

/** Self time of the samples inside any of `windows` ([from, to] µs), by frame and by owner. */
export function summarize(samples: Sample[], windows: Array<[number, number]>, n = 12): ProfileSummary {
  const frames = new Map<string, number>();
  const owners = new Map<string, number>();
  let busy = 0;
  const sorted = [...windows].sort((a, b) => a[0] - b[0]);
  let w = 0;
  for (const s of samples) {
    while (w < sorted.length && (sorted[w]?.[1] ?? 0) < s.at) w++;
    const win = sorted[w];
    if (!win || s.at < win[0]) continue;
    busy += s.us;
    frames.set(s.frame, (frames.get(s.frame) ?? 0) + s.us);
    owners.set(s.owner, (owners.get(s.owner) ?? 0) + s.us);
  }
  return { busyMs: busy / 1000, frames: top(frames, busy, n), owners: top(owners, busy, n) };
}
