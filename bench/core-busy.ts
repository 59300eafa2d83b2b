import { readFileSync } from 'node:fs';

/** One CPU's time counters from /proc/stat (Linux), in clock ticks. */
export interface CoreTicks {
  busy: number;
  total: number;
}

/** The counters of CPU `cpu` (or of all CPUs together), or undefined where /proc/stat does not exist. */
export function coreTicks(cpu: number | 'all'): CoreTicks | undefined {
  const prefix = cpu === 'all' ? 'cpu ' : `cpu${cpu} `;
  try {
    const line = readFileSync('/proc/stat', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(prefix));
    if (!line) return undefined;
    const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const busy = user + nice + system + irq + softirq + steal;
    return { busy, total: busy + idle + iowait };
  } catch {
    return undefined;
  }
}

/** How busy the CPU was between two readings, 0..1. */
export function busyFraction(
  before: CoreTicks | undefined,
  after: CoreTicks | undefined,
): number | undefined {
  if (!before || !after || after.total === before.total) return undefined;
  return (after.busy - before.busy) / (after.total - before.total);
}
