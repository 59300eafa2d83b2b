/** A process's CPU time so far (every thread: main, GC, libuv pool) and its resident memory. */
export interface ProcessCpu {
  /** process.cpuUsage(), microseconds. */
  userUs: number;
  systemUs: number;
  rssBytes: number;
}

export function processCpu(): ProcessCpu {
  const { user, system } = process.cpuUsage();
  return { userUs: user, systemUs: system, rssBytes: process.memoryUsage.rss() };
}

/** CPU microseconds spent between two readings. */
export function cpuSpentUs(before: ProcessCpu, after: ProcessCpu): number {
  return after.userUs - before.userUs + (after.systemUs - before.systemUs);
}
