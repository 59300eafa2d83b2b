import { percentile } from '../../src-main/app/lab/index.ts';
import { Prng } from '../../src-main/overlay/sim/prng.ts';
import { sleep } from '../ring/grow-ring.ts';
import { measureMaintenance } from '../ring/maintenance.ts';
import type { Maintenance } from '../ring/maintenance.ts';
import type { RingCluster } from '../ring/ring-cluster.ts';
import { callsText, summarize, summarizeCalls } from '../ring/run.ts';
import type { CallSetup, RingLookups } from '../ring/run.ts';

/** `overlay.get(AOR)`: what a peer does first to reach a user, a binding fetched from its owner. */
export interface BindingLookups {
  checked: number;
  found: number;
  p50Ms: number;
  p95Ms: number;
  missing: string[];
}

/** What the identity overlay gives and costs once settled, whichever algorithm runs it. */
export interface SteadyNumbers {
  lookups: RingLookups;
  bindingLookups: BindingLookups;
  calls: CallSetup;
  maintenance: Maintenance;
}

/**
 * On a settled overlay (every table right), one after another: `perPeer` lookups from every peer
 * (`overlay.route`, one at a time in the whole cluster, owners checked), every peer's binding
 * fetched by another (`overlay.get`, one at a time), `calls` calls between random pairs, then the
 * idle traffic over `maintenanceSeconds` with every refresh stretched to `defaultRefreshMs`, then
 * one period at the ring's own refresh for the timers to get back in step.
 */
export async function measureSteady(
  cluster: RingCluster,
  options: {
    refreshMs: number;
    defaultRefreshMs: number;
    maintenanceSeconds: number;
    perPeer: number;
    calls: number;
    seed: number;
    log: (line: string) => void;
  },
): Promise<SteadyNumbers> {
  const { log, seed } = options;
  const n = cluster.up().length;
  const lookups = summarize(await cluster.lookups(options.perPeer, seed), n);
  log(
    `      ${lookups.lookups} lookups: mean ${lookups.meanHops.toFixed(2)} hops, p95 ${lookups.p95Hops}, latency p50 ${lookups.p50Ms.toFixed(2)} ms, p95 ${lookups.p95Ms.toFixed(2)} ms, ${lookups.failures} wrong or failed` +
      (lookups.failed.length > 0 ? `; e.g. ${lookups.failed[0]}` : ''),
  );

  const gets = await cluster.registrations(new Prng(seed ^ 0x3c6ef372), { parallel: false });
  const bindingLookups: BindingLookups = {
    checked: gets.checked,
    found: gets.found,
    p50Ms: percentile(gets.latenciesMs, 50),
    p95Ms: percentile(gets.latenciesMs, 95),
    missing: gets.missing,
  };
  log(
    `      ${gets.checked} bindings fetched: ${gets.found} found, p50 ${bindingLookups.p50Ms.toFixed(1)} ms, p95 ${bindingLookups.p95Ms.toFixed(1)} ms` +
      (gets.missing.length > 0 ? `; e.g. ${gets.missing[0]}` : ''),
  );

  const calls = summarizeCalls(await cluster.callSetup(options.calls, new Prng(seed ^ 0x2f6b7a43)));
  log(`      ${callsText(calls)}`);

  const maintenance = await measureMaintenance(cluster, {
    ringRefreshMs: options.refreshMs,
    refreshMs: options.defaultRefreshMs,
    seconds: options.maintenanceSeconds,
  });
  log(
    `      idle at ${options.defaultRefreshMs / 1000} s refresh: ${maintenance.bytesSentPerPeerPerSecond.toFixed(0)} B/s sent, ${maintenance.bytesReceivedPerPeerPerSecond.toFixed(0)} B/s received, ${(maintenance.requestsPerSecond / maintenance.peers).toFixed(3)} requests/s per peer (${maintenance.seconds.toFixed(0)} s)`,
  );
  // Back at the ring's period: one period for every timer to be back in step.
  await sleep(options.refreshMs);
  return { lookups, bindingLookups, calls, maintenance };
}
