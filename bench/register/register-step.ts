import { busyFraction, coreTicks } from '../core-busy.ts';
import { cpuSpentUs } from '../process-cpu.ts';
import type { Worker } from '../worker-host.ts';
import type { LoadStep, LoadStepResult, LoadWindow } from './load-worker.ts';
import type { NodeReading } from './node-worker.ts';

/** How a step loads the node: a fixed offered rate (open loop), or a window of requests in flight. */
export type Drive = { rate: number } | { window: number };

/** One load held for a few seconds, and what the node did with it. */
export interface RegisterStep {
  /** Offered requests per second (open loop); 0 for a window step. */
  rate: number;
  /** Requests kept in flight (closed loop); 0 for an open-loop step. */
  window: number;
  /** 200 OKs per second, from the first request to the last answer. */
  throughput: number;
  offered: number;
  ok: number;
  timeouts: number;
  other: number;
  /** ≥ 99.9 % 200 OK, no timeout, every sampled signature good. */
  pass: boolean;
  /** Node CPU per answered transaction, microseconds. */
  nodeCpuUs: number;
  /** Node CPU time over the step's wall time, waiting for the last answers included (1 = one core). */
  nodeCores: number;
  p50Ms: number;
  p99Ms: number;
  sampleVerified: string;
  receiveBufferDrops: number | undefined;
  /** The node's longest event-loop delay during the step, ms. */
  loopDelayMaxMs: number;
  /** The node's heap after the step, before and after a full GC, and its resident memory. */
  heapMB: number;
  heapAfterGcMB: number;
  rssMB: number;
  /**
   * CPU time other processes took on the node's core during the step (0..1), when the node is
   * pinned: on a shared machine, this is the noise in the number.
   */
  foreignOnNodeCore: number | undefined;
}

/**
 * Answers later than this count as timeouts: a real peer retransmits a non-INVITE request after
 * T1 = 500 ms (RFC 3261 section 17.1.2.2), so a later answer has already cost a second request.
 */
const TIMEOUT_MS = 500;
/** Signatures checked per step. */
const SAMPLE = 200;
/** Requests signed in advance per second of a window step: more than one core answers. */
const WINDOW_POOL_PER_SECOND = 2_500;

/**
 * Signs the step's requests (node idle), reads the node's CPU, loads it, reads the CPU again,
 * then has the node collect its garbage to see what the step left behind.
 */
export async function registerStep(
  node: Worker,
  load: Worker,
  drive: Drive,
  seconds: number,
  nodeCpu: number | undefined,
): Promise<RegisterStep> {
  const count = Math.round(('rate' in drive ? drive.rate : WINDOW_POOL_PER_SECOND) * seconds);
  await load.call('prepare', { count }, 300_000);
  const before = await node.call<NodeReading>('read');
  const core0 = nodeCpu === undefined ? undefined : coreTicks(nodeCpu);
  const t0 = performance.now();
  const common = { timeoutMs: TIMEOUT_MS, sampleEvery: Math.max(1, Math.floor(count / SAMPLE)) };
  const result =
    'rate' in drive
      ? await load.call<LoadStepResult>(
          'blast',
          { rate: drive.rate, ...common } satisfies LoadStep,
          (seconds + 30) * 1000,
        )
      : await load.call<LoadStepResult>(
          'window',
          { window: drive.window, durationMs: seconds * 1000, ...common } satisfies LoadWindow,
          (seconds + 30) * 1000,
        );
  const after = await node.call<NodeReading>('read');
  const wallUs = (performance.now() - t0) * 1000;
  const coreBusy = nodeCpu === undefined ? undefined : busyFraction(core0, coreTicks(nodeCpu));
  const { heapUsedBytes } = await node.call<{ heapUsedBytes: number }>('collect');
  const ok = result.statuses['200'] ?? 0;
  const answered = Object.values(result.statuses).reduce((a, b) => a + b, 0);
  const spent = cpuSpentUs(before, after);
  return {
    rate: 'rate' in drive ? drive.rate : 0,
    window: 'window' in drive ? drive.window : 0,
    throughput: ok / (result.elapsedMs / 1000),
    offered: result.sent,
    ok,
    timeouts: result.timeouts,
    other: answered - ok,
    pass: result.timeouts === 0 && ok >= 0.999 * result.sent && result.sampleVerified === result.sampled,
    nodeCpuUs: ok > 0 ? spent / ok : NaN,
    nodeCores: spent / wallUs,
    p50Ms: result.latencyMs.p50,
    p99Ms: result.latencyMs.p99,
    sampleVerified: `${result.sampleVerified}/${result.sampled}`,
    receiveBufferDrops: result.receiveBufferDrops,
    loopDelayMaxMs: after.loopDelayMaxMs,
    heapMB: after.heapUsedBytes / 2 ** 20,
    heapAfterGcMB: heapUsedBytes / 2 ** 20,
    rssMB: after.rssBytes / 2 ** 20,
    foreignOnNodeCore: coreBusy === undefined ? undefined : Math.max(0, coreBusy - spent / wallUs),
  };
}

/** One line per step for the progress log. */
export function describeStep(step: RegisterStep): string {
  const others = step.foreignOnNodeCore;
  return (
    (step.window > 0
      ? `    ${step.window} in flight: ${step.throughput.toFixed(0)}/s  ok ${step.ok}/${step.offered}`
      : `    ${String(step.rate).padStart(5)}/s  ${step.pass ? 'pass' : 'FAIL'}  ok ${step.ok}/${step.offered}`) +
    `  timeouts ${step.timeouts}  node ${step.nodeCpuUs.toFixed(0)} µs/tx (${step.nodeCores.toFixed(2)} cores)` +
    `  p50 ${step.p50Ms.toFixed(1)} ms  p99 ${step.p99Ms.toFixed(1)} ms  drops ${step.receiveBufferDrops ?? '?'}` +
    `  loop delay max ${step.loopDelayMaxMs.toFixed(0)} ms` +
    `  heap ${step.heapMB.toFixed(0)} MB (${step.heapAfterGcMB.toFixed(0)} MB after GC)` +
    (others === undefined ? '' : `  others on its core ${(others * 100).toFixed(0)} %`)
  );
}
