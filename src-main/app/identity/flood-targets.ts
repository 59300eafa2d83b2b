import type { NodeRef, OverlayState } from '../../overlay/overlay.ts';

const ID = /^[0-9a-f]{40}$/;
const SUCCESSORS = 3;

/**
 * Where a peer forwards a SwitchLayer: a few nodes that follow it in id order, then nodes at
 * 2, 4, 8, ... places further on, picked from whatever its current overlay's tables hold
 * (chord's successors, predecessor and fingers; onehop's members). Successors alone keep the
 * flood connected (every peer reaches its successor, so the ring is covered); the farther ones
 * make it take O(log N) rounds. About log2(N) + 3 messages per peer, whatever the algorithm, so
 * one-hop's full membership does not turn the flood into N² messages.
 */
export function floodTargets(state: OverlayState): NodeRef[] {
  const self = state.self;
  const found = new Map<string, NodeRef>();
  collect(state.tables, found, 0);
  found.delete(self.id);
  const base = BigInt(`0x${self.id}`);
  const ring = 1n << 160n;
  const distance = (n: NodeRef) => (BigInt(`0x${n.id}`) - base + ring) % ring;
  const sorted = [...found.values()].sort((a, b) => (distance(a) < distance(b) ? -1 : 1));
  const picked: NodeRef[] = sorted.slice(0, SUCCESSORS);
  for (let i = SUCCESSORS + 1; i < sorted.length; i *= 2) picked.push(sorted[i]);
  return picked;
}

/** Every `{ id, url }` anywhere in the tables (plain data: arrays and objects). */
function collect(value: unknown, found: Map<string, NodeRef>, depth: number): void {
  if (depth > 6 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) collect(item, found, depth + 1);
    return;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.id === 'string' && ID.test(record.id) && typeof record.url === 'string') {
    found.set(record.id, { id: record.id, url: record.url });
  }
  for (const child of Object.values(record)) collect(child, found, depth + 1);
}
