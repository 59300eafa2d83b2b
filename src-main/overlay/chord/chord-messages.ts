import type { Binding, Id, NodeRef } from '../overlay.ts';
import type { BootstrapForward, BootstrapOK, BootstrapRegRequest } from '../xml/index.ts';

/**
 * Every message the chord algorithm sends, as plain typed objects. The three bootstrap messages
 * are the codec's (src-main/overlay/xml/messages, same kinds and field names), so that sip/ maps
 * them 1:1 onto application/p2p+xml; the others are this algorithm's own and carry only strings,
 * numbers, NodeRefs ({id, url}), arrays of NodeRefs and arrays of StoredBindings.
 *
 * The sender of a request is not a field: it is the `from` that the transport (and the trust
 * layer's signature) vouches for. A refusal is not a message either: it is the OverlayReply
 * `{ ok: false, status, reason }` (the codec's Failure), with the codes of docs/PROTOCOL.md.
 *
 * Requests and their answers:
 *
 * | request             | answered with                                        |
 * | ------------------- | ---------------------------------------------------- |
 * | BootstrapRegRequest | BootstrapOK, BootstrapForward, or 409 / 480 / 503     |
 * | FindSuccessor       | FindSuccessorOK or FindSuccessorForward, or 480 / 503 |
 * | Notify              | Neighbours                                           |
 * | GetNeighbours       | Neighbours                                           |
 * | Ping                | Pong                                                 |
 * | UpdateFingers       | FingersUpdated                                       |
 * | Leave               | Ack                                                  |
 * | StoreBindings       | Ack                                                  |
 * | PutBinding          | Ack, or Redirect                                     |
 * | GetBindings         | Bindings, or Redirect                                |
 */

/** Interfaces have no index signature, so the codec's types are re-stated as plain object types. */
type Plain<T> = { [K in keyof T]: T[K] };

/** A binding as stored and replicated: the contract's Binding plus when its device wrote it. */
export type StoredBinding = Plain<Binding> & {
  /**
   * Milliseconds since the epoch on the writing device's clock. The newer write of a contact wins
   * when copies meet; a write with `expiresAt <= writtenAt` is a removal (REGISTER Expires: 0),
   * kept for `tombstoneMs` so that an older copy elsewhere cannot bring the contact back.
   */
  writtenAt: number;
};

export type BootstrapRegRequestMessage = Plain<BootstrapRegRequest>;
export type BootstrapOKMessage = Plain<BootstrapOK>;
export type BootstrapForwardMessage = Plain<BootstrapForward>;

/**
 * Iterative lookup, one hop (the paper's forward model: the querying node asks each node in
 * turn). "Which node is responsible for `key`, or who is closer to it?" `avoid` lists nodes the
 * asker found dead on this lookup; the answer never names them.
 */
export type FindSuccessor = { kind: 'FindSuccessor'; key: Id; avoid: NodeRef[] };

/** The answering node knows the owner of the key (the key lies between it and a successor). */
export type FindSuccessorOK = {
  kind: 'FindSuccessorOK';
  /** The node responsible for the key. */
  owner: NodeRef;
  /** The node just before the owner, as far as the answering node knows (absent if unknown). */
  predecessor?: NodeRef;
  /** The nodes after the owner in the answering node's successor list: where replicas live. */
  successors: NodeRef[];
};

/** The answering node does not know the owner: `next` is the closest node preceding the key it knows. */
export type FindSuccessorForward = { kind: 'FindSuccessorForward'; next: NodeRef };

/**
 * The refresh to the successor, which doubles as Chord's stabilize and notify: "I think I am your
 * predecessor". When the receiver takes the sender as its new predecessor, or when the sender
 * asks with `handover: 1` (it has a new successor and has not had its handover yet), the answer
 * carries the bindings the sender must now hold.
 */
export type Notify = { kind: 'Notify'; handover: number };

/** "Who are your neighbours?" Used to check a finger: is someone closer to its start? */
export type GetNeighbours = { kind: 'GetNeighbours' };

/** A node's view of its neighbours. */
export type Neighbours = {
  kind: 'Neighbours';
  /** Absent while the answering node knows no predecessor. */
  predecessor?: NodeRef;
  /** The answering node's successor list, nearest first (without itself). */
  successors: NodeRef[];
  /**
   * The handover (answer to Notify only, when the notifier is now the predecessor, see Notify):
   * every binding the answering node holds outside (notifier, answerer]. The keys up to the
   * notifier are its own now; the rest it holds as replica for the nodes before it. Otherwise empty.
   */
  bindings: StoredBinding[];
};

/** The refresh to the predecessor: is it still alive? */
export type Ping = { kind: 'Ping' };
export type Pong = { kind: 'Pong' };

/**
 * Figure 3 (d): "sending out requests to update finger table entries of other relevant nodes".
 * The receiver considers the sender for each of its fingers and for its successor list.
 */
export type UpdateFingers = { kind: 'UpdateFingers' };

export type FingersUpdated = {
  kind: 'FingersUpdated';
  /** How many of the receiver's fingers now point to the sender. */
  changed: number;
  /** The receiver's predecessor: the next node that may need the update (absent if unknown). */
  predecessor?: NodeRef;
};

/**
 * Graceful leave (the paper: "A node gracefully exiting the P2P network sends a REGISTER message
 * to the peers in the finger table"; over SIP a REGISTER with Expires: 0). Receivers drop the
 * sender and link its predecessor and successors together.
 */
export type Leave = {
  kind: 'Leave';
  /** The leaving node's predecessor (absent if unknown). */
  predecessor?: NodeRef;
  /** The leaving node's successor list. */
  successors: NodeRef[];
  /** Every binding the leaving node held; non-empty only in the message to its successor. */
  bindings: StoredBinding[];
};

/**
 * Replication: an owner pushes bindings to its next k successors. `handBack: 1` marks a write the
 * sender took for a key outside its range (its predecessor unreachable for the putter): the
 * receiver puts it again at the key's owner on its next refreshes, should the sender die first.
 */
export type StoreBindings = { kind: 'StoreBindings'; bindings: StoredBinding[]; handBack?: number };

/** put(): store at the node responsible for SHA-1(binding.aor), which replicates it. */
export type PutBinding = { kind: 'PutBinding'; binding: StoredBinding; avoid: NodeRef[] };

/** get(): the live bindings of an AOR from the node responsible for its key. */
export type GetBindings = { kind: 'GetBindings'; aor: string; avoid: NodeRef[] };

export type Bindings = { kind: 'Bindings'; bindings: StoredBinding[] };

/** "Not responsible for that key; `next` (my predecessor) is." */
export type Redirect = { kind: 'Redirect'; next: NodeRef };

export type Ack = { kind: 'Ack' };

export type ChordRequest =
  | BootstrapRegRequestMessage
  | FindSuccessor
  | Notify
  | GetNeighbours
  | Ping
  | UpdateFingers
  | Leave
  | StoreBindings
  | PutBinding
  | GetBindings;

export type ChordAnswer =
  | BootstrapOKMessage
  | BootstrapForwardMessage
  | FindSuccessorOK
  | FindSuccessorForward
  | Neighbours
  | Pong
  | FingersUpdated
  | Bindings
  | Redirect
  | Ack;

export type ChordMessage = ChordRequest | ChordAnswer;
export type ChordRequestKind = ChordRequest['kind'];
