import { describe, expect, it } from 'vitest';
import {
  chooseAlgorithm,
  checkPolicy,
  DEFAULT_POLICY,
} from '../../../src-main/app/identity/choose-algorithm.ts';
import { estimatePeers } from '../../../src-main/app/identity/size-estimate.ts';
import { simulation as chordSimulation } from '../overlay/chord/story.ts';
import { simulation as oneHopSimulation } from '../overlay/onehop/story.ts';

const shape = (algorithm: string, peers: number, churn = 0, sinceSwitchMs = Infinity, constrained = 0) => ({
  algorithm,
  peers,
  churn,
  constrained,
  sinceSwitchMs,
});

/** The network choosing its identity algorithm by size and churn, with hysteresis. */
describe('choosing the identity algorithm', () => {
  it('one-hop grows into Chord at 120 peers, and Chord shrinks back into one-hop at 80, not in between', () => {
    expect(chooseAlgorithm(shape('onehop', 119))).toBeUndefined();
    expect(chooseAlgorithm(shape('onehop', 120))).toBe('chord');
    expect(chooseAlgorithm(shape('chord', 100))).toBeUndefined();
    expect(chooseAlgorithm(shape('chord', 81))).toBeUndefined();
    expect(chooseAlgorithm(shape('chord', 80))).toBe('onehop');
    expect(chooseAlgorithm(shape('onehop', 80))).toBeUndefined();
    expect(chooseAlgorithm(shape('chord', 200))).toBeUndefined();
  });

  it('churn: a small network whose devices come and go often runs Chord, and goes back only once calm', () => {
    expect(chooseAlgorithm(shape('onehop', 20, 4))).toBe('chord');
    expect(chooseAlgorithm(shape('chord', 20, 3))).toBeUndefined();
    expect(chooseAlgorithm(shape('chord', 20, 1.9))).toBe('onehop');
  });

  it('constrained devices: a small network with a quarter of its devices mobile runs Chord, back below an eighth', () => {
    expect(chooseAlgorithm(shape('onehop', 20, 0, Infinity, 0.25))).toBe('chord');
    expect(chooseAlgorithm(shape('chord', 20, 0, Infinity, 0.2))).toBeUndefined();
    expect(chooseAlgorithm(shape('chord', 20, 0, Infinity, 0.1))).toBe('onehop');
  });

  it('never within an hour of the last switch, and never away from an algorithm it does not govern', () => {
    expect(chooseAlgorithm(shape('onehop', 500, 0, 59 * 60_000))).toBeUndefined();
    expect(chooseAlgorithm(shape('onehop', 500, 0, 60 * 60_000))).toBe('chord');
    expect(chooseAlgorithm(shape('kademlia', 5))).toBeUndefined();
  });

  it('refuses a policy without a band between its thresholds', () => {
    expect(() => checkPolicy({ ...DEFAULT_POLICY, growAt: 80 })).toThrow(
      /growAt \(80\) must be a whole number above shrinkAt \(80\)/,
    );
    expect(() => checkPolicy({ ...DEFAULT_POLICY, shrinkAt: 0 })).toThrow(/shrinkAt/);
    expect(() => checkPolicy({ ...DEFAULT_POLICY, constrainedAt: 1.5 })).toThrow(/constrainedAt/);
    expect(checkPolicy(DEFAULT_POLICY)).toBe(DEFAULT_POLICY);
  });
});

describe('estimating the network size from one node’s tables', () => {
  it('one-hop counts its members exactly', async () => {
    const sim = oneHopSimulation();
    await sim.adoptAll(50, (_self, all) => [...all]);
    expect(new Set(sim.live().map(estimatePeers))).toEqual(new Set([50]));
  });

  it('Chord, from its 4 successors in a ring of 300: the median estimate is within a third of 300', async () => {
    const sim = chordSimulation();
    await sim.adoptAll(300, (_self, all) => [...all]);
    const estimates = sim
      .live()
      .map(estimatePeers)
      .sort((a, b) => a - b);
    const median = estimates[estimates.length >> 1]!;
    expect(median).toBeGreaterThan(200);
    expect(median).toBeLessThan(400);
  });

  it('Chord in a ring small enough that each node knows every other: counted', async () => {
    const sim = chordSimulation();
    await sim.adoptAll(5, (_self, all) => [...all]);
    expect(new Set(sim.live().map(estimatePeers))).toEqual(new Set([5]));
  });
});
