import type { NodeRef } from '../overlay.ts';
import { toPosition } from './ring.ts';

/**
 * A node as this algorithm holds it: the contract's NodeRef plus its ring position, computed once
 * (hex to bigint on every comparison would dominate a 100,000-node simulation).
 */
export interface Peer {
  readonly id: string;
  readonly url: string;
  readonly position: bigint;
}

export function toPeer(node: NodeRef): Peer {
  return { id: node.id, url: node.url, position: toPosition(node.id) };
}

/** The plain NodeRef that goes into messages and OverlayState (no bigint: it must serialise). */
export function toRef(peer: NodeRef): NodeRef {
  return { id: peer.id, url: peer.url };
}

export function samePeer(a: NodeRef | null | undefined, b: NodeRef | null | undefined): boolean {
  return a != null && b != null && a.id === b.id;
}
