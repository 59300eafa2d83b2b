import { describe, expect, it } from 'vitest';

import { ChordTables } from '../../../../src-main/overlay/chord/chord-tables.ts';
import { FingerTable } from '../../../../src-main/overlay/chord/finger-table.ts';
import type { Peer } from '../../../../src-main/overlay/chord/peer.ts';
import { fingerStart, toId } from '../../../../src-main/overlay/chord/ring.ts';
import { SuccessorList } from '../../../../src-main/overlay/chord/successor-list.ts';

/** A node at a small, readable ring position. */
const at = (position: bigint): Peer => ({
  id: toId(position),
  url: `sip:n${position}@10.0.0.1:5060`,
  position,
});
const none = new Set<string>();

describe('a successor list', () => {
  it('copies its successor’s list and stops where the list comes round to its owner', () => {
    const list = new SuccessorList(at(10n), 4);
    expect(list.adopt(at(20n), [at(30n), at(10n), at(20n)])).toBe(true);
    expect(list.list().map((p) => p.position)).toEqual([20n, 30n]);
    expect(list.adopt(at(20n), [at(30n), at(10n)])).toBe(false);
  });

  it('takes a nearer node in at its place and drops the farthest when full', () => {
    const list = new SuccessorList(at(10n), 3);
    list.adopt(at(20n), [at(40n), at(50n)]);
    expect(list.insert(at(30n))).toBe(true);
    expect(list.list().map((p) => p.position)).toEqual([20n, 30n, 40n]);
    expect(list.insert(at(60n))).toBe(false);
    expect(list.insert(at(5n))).toBe(false); // just before me: the farthest node of all
    expect(list.remove(at(20n).id)).toBe(true);
    expect(list.first?.position).toBe(30n);
  });
});

describe('a finger table', () => {
  it('points every finger at the owner until it knows better, and takes a node where it fits', () => {
    const owner = at(0n);
    const table = new FingerTable(owner);
    expect(table.distinct()).toEqual([]);
    // A node at 2^100 is finger i for every start in (0, 2^100]: i = 1 .. 101. Beyond, the
    // owner itself is still the first node at or after the start.
    const node = at(1n << 100n);
    expect(table.consider(node)).toBe(101);
    expect(table.node(102)).toBe(owner);
    expect(table.node(101)).toBe(node);
    expect(table.consider(at(1n << 50n))).toBe(51);
    expect(table.node(51).position).toBe(1n << 50n);
    expect(table.node(52).position).toBe(1n << 100n);
    expect(table.entries().map((e) => [e.index, e.node.position])).toEqual([
      [1, 1n << 50n],
      [52, 1n << 100n],
      [102, 0n],
    ]);
  });

  it('hands a removed node’s fingers to the next node it knows', () => {
    const table = new FingerTable(at(0n));
    table.fill([at(1n << 10n), at(1n << 20n), at(1n << 30n)]);
    expect(table.remove(at(1n << 20n).id, [])).toBe(10);
    expect(table.node(15).position).toBe(1n << 30n);
  });

  it('keeps only the farthest fingers when told to keep fewer', () => {
    const table = new FingerTable(at(0n), 8);
    expect(table.first).toBe(153);
    expect(table.start(153)).toBe(fingerStart(0n, 153));
    expect(table.entries()).toHaveLength(1);
  });
});

describe('routing decisions from the tables alone', () => {
  function ring(): ChordTables {
    const tables = new ChordTables(at(100n), 3, 160);
    tables.predecessor = at(90n);
    tables.successors.adopt(at(110n), [at(120n), at(130n)]);
    tables.fingers.fill([at(110n), at(120n), at(130n), at(200n), at(400n), at(90n)]);
    return tables;
  }

  it('owns (predecessor, self], and knows the owner of keys up to its last successor', () => {
    const tables = ring();
    expect(tables.step(95n, none)).toMatchObject({
      owner: { position: 100n },
      predecessor: { position: 90n },
    });
    expect(tables.step(105n, none)).toMatchObject({
      owner: { position: 110n },
      predecessor: { position: 100n },
    });
    const step = tables.step(125n, none);
    expect(step).toMatchObject({ owner: { position: 130n }, predecessor: { position: 120n } });
    expect(step && 'owner' in step && step.successors).toEqual([]);
  });

  it('names the closest preceding node for keys further away', () => {
    expect(ring().step(300n, none)).toEqual({ next: expect.objectContaining({ position: 200n }) });
    expect(ring().step(150n, none)).toEqual({ next: expect.objectContaining({ position: 130n }) });
  });

  it('skips nodes to avoid: a dead successor’s keys fall to the next one', () => {
    const tables = ring();
    const dead = new Set([at(110n).id]);
    expect(tables.step(105n, dead)).toMatchObject({
      owner: { position: 120n },
      predecessor: { position: 100n },
    });
    expect(tables.step(300n, new Set([at(200n).id]))).toEqual({
      next: expect.objectContaining({ position: 130n }),
    });
  });

  it('answers for keys of a predecessor it was told is dead', () => {
    const tables = ring();
    expect(tables.isResponsible(85n, none)).toBe(false);
    expect(tables.isResponsible(85n, new Set([at(90n).id]))).toBe(true);
    expect(tables.isResponsible(95n, none)).toBe(true);
  });
});
