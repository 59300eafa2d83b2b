import { execFileSync } from 'node:child_process';
import os from 'node:os';

/** The machine a result was measured on, as docs/BENCHMARKS.md records it. */
export interface Machine {
  /** `nproc` */
  cpus: number;
  /** `lscpu` model name */
  model: string;
  /** `free -h` total memory */
  memory: string;
  /** `node --version` */
  node: string;
  /** /proc/loadavg when the run started: others' work on a shared machine is noise. */
  loadAverage: string;
}

export function describeMachine(): Machine {
  return {
    cpus: os.availableParallelism(),
    model: lscpuModel() ?? os.cpus()[0]?.model ?? 'unknown',
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    loadAverage: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
  };
}

function lscpuModel(): string | undefined {
  try {
    const text = execFileSync('lscpu', { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    return /^Model name:\s*(.+)$/m.exec(text)?.[1]?.trim();
  } catch {
    return undefined;
  }
}
