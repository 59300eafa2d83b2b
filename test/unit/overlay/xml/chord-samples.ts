// Test helper (not a test): the chord algorithm's messages as the algorithm itself types them
// (src-main/overlay/chord/chord-messages.ts), several variants per kind: with and without the
// optional fields, with empty and with long lists. The Record type makes this file stop compiling
// when the algorithm gains a kind that has no sample.
import type { ChordMessage, StoredBinding } from '../../../../src-main/overlay/chord/chord-messages.ts';
import type { NodeRef } from '../../../../src-main/overlay/overlay.ts';
import {
  ALICE_ID,
  BOB_ID,
  CAROL_ID,
  FINGERPRINT,
  bootstrapForward,
  bootstrapOk,
  bootstrapRegRequest,
} from './samples.ts';

export type ChordKind = ChordMessage['kind'];
type Of<K extends ChordKind> = Extract<ChordMessage, { kind: K }>;

export const alice: NodeRef = { id: ALICE_ID, url: 'sip:alice@192.0.2.1:5060;transport=udp' };
export const bob: NodeRef = { id: BOB_ID, url: 'sip:bob@192.0.2.2:5060' };
export const carol: NodeRef = { id: CAROL_ID, url: 'sips:carol@[2001:db8::3]:5061;x=a&b' };

/** A node of a ring of many, with an id that keeps its leading zeros. */
export function node(i: number): NodeRef {
  return { id: i.toString(16).padStart(40, '0'), url: `sip:node-${i}@192.0.2.${i % 250}:${5060 + i}` };
}

export const binding: StoredBinding = {
  aor: 'sip:alice@atlanta.com',
  contact: 'sip:alice@192.0.2.1:5060;transport=udp',
  nodeId: ALICE_ID,
  certificateFingerprint: FINGERPRINT,
  expiresAt: 1_795_555_200_000,
  writtenAt: 1_795_551_600_000,
};

/** A removal (REGISTER Expires: 0) and the extremes of the time fields. */
export const removal: StoredBinding = {
  ...binding,
  contact: 'sips:alice@atlanta.com',
  expiresAt: 0,
  writtenAt: 0,
};
export const farFuture: StoredBinding = {
  ...binding,
  aor: 'sip:007@atlanta.com',
  expiresAt: Number.MAX_SAFE_INTEGER,
  writtenAt: Number.MAX_SAFE_INTEGER,
};

export function bindingOf(i: number): StoredBinding {
  const n = node(i);
  return {
    aor: `sip:user-${i}@atlanta.com`,
    contact: `${n.url};transport=udp`,
    nodeId: n.id,
    certificateFingerprint: i.toString(16).padStart(64, '0'),
    expiresAt: 1_795_555_200_000 + i,
    writtenAt: 1_795_551_600_000 + i,
  };
}

const many = (count: number) => Array.from({ length: count }, (_, i) => node(i + 1));
const manyBindings = (count: number) => Array.from({ length: count }, (_, i) => bindingOf(i + 1));

export const CHORD_SAMPLES: { readonly [K in ChordKind]: readonly [Of<K>, ...Of<K>[]] } = {
  BootstrapRegRequest: [bootstrapRegRequest],
  BootstrapOK: [bootstrapOk],
  BootstrapForward: [bootstrapForward],
  FindSuccessor: [
    { kind: 'FindSuccessor', key: '0'.repeat(40), avoid: [] },
    { kind: 'FindSuccessor', key: BOB_ID, avoid: [alice, carol] },
    { kind: 'FindSuccessor', key: 'f'.repeat(40), avoid: many(200) },
  ],
  FindSuccessorOK: [
    { kind: 'FindSuccessorOK', owner: bob, predecessor: alice, successors: [carol, alice] },
    { kind: 'FindSuccessorOK', owner: bob, successors: [] },
    { kind: 'FindSuccessorOK', owner: carol, predecessor: bob, successors: many(32) },
  ],
  FindSuccessorForward: [{ kind: 'FindSuccessorForward', next: carol }],
  Notify: [
    { kind: 'Notify', handover: 0 },
    { kind: 'Notify', handover: 1 },
  ],
  GetNeighbours: [{ kind: 'GetNeighbours' }],
  Neighbours: [
    { kind: 'Neighbours', predecessor: alice, successors: [bob, carol], bindings: [binding, removal] },
    { kind: 'Neighbours', successors: [], bindings: [] },
    { kind: 'Neighbours', predecessor: carol, successors: many(32), bindings: manyBindings(120) },
  ],
  Ping: [{ kind: 'Ping' }],
  Pong: [{ kind: 'Pong' }],
  UpdateFingers: [{ kind: 'UpdateFingers' }],
  FingersUpdated: [
    { kind: 'FingersUpdated', changed: 159, predecessor: carol },
    { kind: 'FingersUpdated', changed: 0 },
  ],
  Leave: [
    { kind: 'Leave', predecessor: alice, successors: [bob, carol], bindings: [binding, farFuture] },
    { kind: 'Leave', successors: [], bindings: [] },
    { kind: 'Leave', predecessor: bob, successors: many(4), bindings: manyBindings(100) },
  ],
  StoreBindings: [
    { kind: 'StoreBindings', bindings: [binding, removal, farFuture] },
    { kind: 'StoreBindings', bindings: [] },
    { kind: 'StoreBindings', bindings: manyBindings(150) },
    { kind: 'StoreBindings', bindings: [binding], handBack: 1 },
  ],
  PutBinding: [
    { kind: 'PutBinding', binding, avoid: [] },
    { kind: 'PutBinding', binding: removal, avoid: [carol] },
    { kind: 'PutBinding', binding: farFuture, avoid: many(100) },
  ],
  GetBindings: [
    { kind: 'GetBindings', aor: 'sip:alice@atlanta.com', avoid: [] },
    { kind: 'GetBindings', aor: 'sips:007@atlanta.com', avoid: many(50) },
  ],
  Bindings: [
    { kind: 'Bindings', bindings: [binding] },
    { kind: 'Bindings', bindings: [] },
    { kind: 'Bindings', bindings: manyBindings(120) },
  ],
  Redirect: [{ kind: 'Redirect', next: alice }],
  Ack: [{ kind: 'Ack' }],
};

/** Every sample as [name, message], for it.each. */
export const CHORD_SAMPLE_LIST: ReadonlyArray<readonly [string, ChordMessage]> = Object.values(
  CHORD_SAMPLES,
).flatMap((variants: readonly ChordMessage[]) =>
  variants.map((message, i) => [`${message.kind} #${i + 1}`, message] as const),
);
