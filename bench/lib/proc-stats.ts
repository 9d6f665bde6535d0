import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** One process's CPU time so far and its memory, read from /proc (Linux) without asking the process. */
export interface ProcSample {
  /** User + system CPU time of every thread of the process, in ms (10 ms resolution at 100 Hz). */
  cpuMs: number;
  /** Resident set size now, and its peak (VmHWM), in bytes. */
  rss: number;
  peakRss: number;
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  return ticksPerSecond;
}

export function sampleProcess(pid: number): ProcSample {
  // Fields after the command name (which may hold spaces, hence the last ')'): utime and stime are the 12th and
  // 13th (proc(5): fields 14 and 15 of the line).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(rest[11]) + Number(rest[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { cpuMs: (ticks * 1000) / clockTicks(), rss: kb('VmRSS') * 1024, peakRss: kb('VmHWM') * 1024 };
}
