/**
 * The contract every P2P algorithm serving a layer implements (paper, section 2: each layer of
 * the voice system picks its own P2P mechanism and may change it while the system runs).
 *
 * Three boundaries, as in go-chord: `OverlayTransport` (outgoing: the algorithm MUST send
 * through it and nothing else), `Overlay.receive` (incoming: the node MUST hand every message for
 * this layer to it, already verified by the trust layer), and `OverlayDelegate` (news upward).
 * Nothing here knows SIP: the app carries these messages as application/p2p+xml bodies in SIP
 * REGISTER requests, and a unit test carries them through an in-memory network.
 *
 * Identifiers are 160-bit, written as 40 lowercase hex digits (SHA-1, the paper's NodeID).
 */

import { createHash } from 'node:crypto';

/** 40 lowercase hex digits. */
export type Id = string;

/** The key a user's AOR maps to, whatever the algorithm: SHA-1 of the AOR's text (paper, 4.2). */
export function aorKey(aor: string): Id {
  return createHash('sha1').update(aor, 'utf8').digest('hex');
}

/** Another node as the overlay knows it: where it sits and how to reach it. */
export interface NodeRef {
  id: Id;
  /** sip:HOST:PORT, the paper's NodeURL. */
  url: string;
}

/** What a user's AOR maps to (stored by the node responsible for SHA-1(AOR)). */
export interface Binding {
  aor: string;
  /** Where a device of that user takes calls. */
  contact: string;
  /** The NodeID of the device. */
  nodeId: Id;
  /** SHA-256 fingerprint of the device's certificate. */
  certificateFingerprint: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** One message of an overlay algorithm; `kind` names it, the rest is the algorithm's. */
export interface OverlayMessage {
  kind: string;
  [field: string]: unknown;
}

/**
 * What a message carried back. `ok: false` is a refusal by the other node (the SIP status and
 * reason it sent); a node that did not answer at all is an `OverlayTimeoutError` thrown by
 * `send`.
 */
export type OverlayReply =
  { ok: true; message: OverlayMessage } | { ok: false; status: number; reason: string };

export interface SendOptions {
  /** Per-hop deadline: far below SIP's 32 s Timer F, so that a dead node is noticed quickly. */
  timeoutMs: number;
  /** How many more nodes the request may travel (SIP Max-Forwards). */
  maxForwards?: number;
}

/** Outgoing. Implementations MUST NOT throw anything but OverlayTimeoutError or OverlayUnreachableError. */
export interface OverlayTransport {
  send(to: NodeRef, message: OverlayMessage, options: SendOptions): Promise<OverlayReply>;
}

export class OverlayTimeoutError extends Error {
  constructor(readonly node: NodeRef) {
    super(`Node ${node.id.slice(0, 8)} at ${node.url} did not answer`);
    this.name = 'OverlayTimeoutError';
  }
}

export class OverlayUnreachableError extends Error {
  constructor(
    readonly node: NodeRef,
    why: string,
  ) {
    super(`Cannot reach node ${node.id.slice(0, 8)} at ${node.url}: ${why}`);
    this.name = 'OverlayUnreachableError';
  }
}

/** An overlay message this algorithm does not know (answer 400 with this reason). */
export class UnknownOverlayMessageError extends Error {
  constructor(kind: string) {
    super(`Unknown overlay message ${kind}`);
    this.name = 'UnknownOverlayMessageError';
  }
}

/** News upward. Every method is optional; the overlay MUST NOT wait for a delegate. */
export interface OverlayDelegate {
  /** Successor, predecessor or fingers changed. */
  onNeighboursChanged?(state: OverlayState): void;
  /** A node stopped answering and was dropped from this node's tables. */
  onNodeFailed?(node: NodeRef): void;
  /** Bindings this node is responsible for were added, renewed or removed. */
  onBindingsChanged?(aor: string, bindings: Binding[]): void;
}

/** A lookup's outcome: the node responsible for the key, and how many nodes were asked. */
export interface RouteResult {
  owner: NodeRef;
  hops: number;
  /** Nodes asked, in order (for the UI's "recent lookups"). */
  path: NodeRef[];
}

/**
 * One step of routing a request toward a key through this node's own tables, without asking
 * anyone (the paper's section 4.2: an INVITE is proxied hop by hop through the finger tables):
 * - `here`: this node is responsible for the key; it answers from its own bindings;
 * - `owner`: the node responsible for the key, as far as this node knows;
 * - `closer`: a node nearer the key to pass the request to;
 * - `none`: every node that could get closer is in `avoid` (all found dead).
 */
export type NextHop =
  { kind: 'here' } | { kind: 'owner'; node: NodeRef } | { kind: 'closer'; node: NodeRef } | { kind: 'none' };

/** A picture of one node's tables, for the UI, the CLI and the tests. */
export interface OverlayState {
  layer: string;
  algorithm: string;
  self: NodeRef;
  joined: boolean;
  /** Algorithm-specific, plain data (JSON-serialisable): successors, predecessor, fingers... */
  tables: Record<string, unknown>;
  /** How many bindings this node stores (own and replicas). */
  bindings: number;
}

/**
 * The algorithm a layer runs. Lifecycle: `start()` → `join()` (or `create()` for the first node)
 * → ... → `leave()` → `stop()`. `start` and `stop` are safe to call twice.
 */
export interface Overlay {
  readonly layer: string;
  readonly algorithm: string;
  readonly self: NodeRef;

  start(): Promise<void>;
  stop(): Promise<void>;

  /** The first node of a new overlay. */
  create(): Promise<void>;
  /** Joins through any of these nodes (the paper's bootstrap nodes); rejects if none works. */
  join(bootstrap: NodeRef[]): Promise<void>;
  /** Graceful leave: tells the neighbours and hands over stored bindings. */
  leave(): Promise<void>;

  /** Finds the node responsible for `key`. */
  route(key: Id): Promise<RouteResult>;
  /** Stores a binding at the node responsible for SHA-1(binding.aor) (and its replicas). */
  put(binding: Binding): Promise<void>;
  /** The live bindings of an AOR (several devices may register one AOR). */
  get(aor: string): Promise<Binding[]>;

  /**
   * Where a request for `key` goes next from this node, by its tables alone (nodes whose ids are
   * in `avoid` are skipped, as they did not answer). For requests that travel hop by hop, such as
   * a call, rather than lookups that the asking node follows itself.
   */
  nextHop(key: Id, avoid?: ReadonlySet<Id>): NextHop;
  /** The live bindings of an AOR that this node holds itself (as the responsible node or a replica). */
  localBindings(aor: string): Binding[];
  /** Every live binding this node holds, of any AOR (for a node's status page). */
  storedBindings(): Binding[];
  /** Called when a node failed to carry a request (e.g. a call's next hop did not answer). */
  reportFailure(node: NodeRef): void;

  /** Incoming: a message another node sent to this one, already verified by the trust layer. */
  receive(from: NodeRef, message: OverlayMessage): Promise<OverlayReply>;

  state(): OverlayState;

  /** Every other node this node's tables name (a switch starts the layer's next overlay from them). */
  knownNodes?(): NodeRef[];
  /**
   * Instead of `join`: takes these nodes as the overlay's members and is joined at once, telling
   * nobody. For a switch of a layer's algorithm (docs/PROTOCOL.md section 10), where every peer
   * starts the new overlay at about the same moment from the nodes its old overlay knew: the
   * NodeIDs and NodeURLs are the same in both, so a ring position computed from them is right
   * from the start instead of after many refreshes of concurrent joins. Nodes that do not answer
   * yet (they have not started the new overlay) are handled as the algorithm handles any silent
   * node. Optional: an algorithm without it joins through the switch's seed.
   */
  adopt?(nodes: readonly NodeRef[]): void;
}

/** What a factory is given: dependencies first (STYLE.md example 5); settings come with the factory. */
export interface OverlayComponents {
  self: NodeRef;
  transport: OverlayTransport;
  delegate?: OverlayDelegate;
  /** Milliseconds since the epoch; a fake clock in unit tests. */
  now(): number;
  /** setTimeout that a fake clock can drive; returns a cancel function. */
  schedule(ms: number, task: () => void): () => void;
}

export type OverlayFactory = (components: OverlayComponents) => Overlay;
