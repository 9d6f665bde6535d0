import { cpus, freemem, platform, release, totalmem } from 'node:os';

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
