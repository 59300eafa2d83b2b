import { describe, expect, it } from 'vitest';
import { runLab } from '../../../src-main/app/lab/index.ts';

/**
 * Issue 6's test as written: a lab of 40 peers switches its identity layer from Chord to the
 * one-hop algorithm and back while calls are up. Real peers in one process, each with its own
 * UDP socket and key store, every overlay message a signed REGISTER. Each switch floods a
 * CA-signed SwitchLayer; every peer starts the new overlay from its old one's nodes, moves its
 * lookups over halfway to the common retirement, and retires the old overlay then, as every
 * other peer does (docs/PROTOCOL.md section 10.3). Two peers look bindings up without pause
 * meanwhile, and each lookup is counted and checked against the callee's NodeID.
 */
describe('a 40-peer network switches its identity layer while calls are up', () => {
  it('chord → onehop → chord: no call drops, every lookup during each switch succeeds, trust unchanged', async () => {
    const report = await runLab({
      peers: 40,
      calls: 4,
      lookups: 1,
      seed: 40,
      switch: ['identity=onehop', 'identity=chord'],
      switchAskers: 2,
      hopTimeoutMs: 1000,
    });

    expect(report.problems).toEqual([]);
    const [there, back] = report.switches;
    expect(there).toMatchObject({ from: 'chord', to: 'onehop', epoch: 1, calls: 4, callsDropped: 0 });
    expect(back).toMatchObject({ from: 'onehop', to: 'chord', epoch: 2, calls: 4, callsDropped: 0 });
    for (const round of report.switches) {
      expect(round.switchMs).toEqual(expect.any(Number));
      expect(round.lookups).toBeGreaterThan(50);
      expect(round.lookupFailures).toBe(0);
      expect(round.trustUnchanged).toBe(true);
    }
  }, 400_000);
});
