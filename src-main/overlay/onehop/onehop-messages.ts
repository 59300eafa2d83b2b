import type {
  Ack,
  Bindings,
  GetBindings,
  PutBinding,
  Redirect,
  StoreBindings,
  StoredBinding,
} from '../chord/chord-messages.ts';
import type { BootstrapForwardMessage, BootstrapRegRequestMessage, Leave } from '../chord/chord-messages.ts';
import type { Id } from '../overlay.ts';

/**
 * Every message the onehop algorithm sends, as plain typed objects (the codec's, field for field:
 * src-main/overlay/xml/messages/{member-list,gossip,get-members}.ts; a test keeps them in step).
 * Where chord already has a message that means the same, onehop sends chord's, so that the two
 * algorithms share the binding messages and a future switch can move bindings with them:
 *
 * | request             | answered with                          | mine or chord's |
 * | ------------------- | -------------------------------------- | --------------- |
 * | BootstrapRegRequest | MemberList, BootstrapForward, 409/480/503 | chord's      |
 * | Gossip              | Gossip                                 | mine            |
 * | GetMembers          | MemberList                             | mine            |
 * | Leave               | Ack                                    | chord's (no predecessor or successors: everyone knows them) |
 * | StoreBindings       | Ack                                    | chord's         |
 * | PutBinding          | Ack or Redirect                        | chord's         |
 * | GetBindings         | Bindings or Redirect                   | chord's         |
 */

export type { StoredBinding };

/** A member as the news names it: NodeID, NodeURL and incarnation (MemberRecord on the wire). */
export type MemberRecord = { id: Id; url: string; incarnation: number };

/** The three lists of news every membership message carries. */
export type MemberNews = { alive: MemberRecord[]; failed: MemberRecord[]; left: MemberRecord[] };

/** The whole table: the successXML of a join (with bindings), or the answer to GetMembers. */
export type MemberList = MemberNews & { kind: 'MemberList'; refreshRate: number; bindings: StoredBinding[] };

/** Probe and push-pull gossip in one: the refresh. */
export type Gossip = MemberNews & { kind: 'Gossip'; digest: Id };

/** "Send me your whole table." */
export type GetMembers = { kind: 'GetMembers' };

export type OneHopRequest =
  BootstrapRegRequestMessage | Gossip | GetMembers | Leave | StoreBindings | PutBinding | GetBindings;

export type OneHopAnswer = MemberList | BootstrapForwardMessage | Gossip | Bindings | Redirect | Ack;

export type OneHopMessage = OneHopRequest | OneHopAnswer;
export type OneHopRequestKind = OneHopRequest['kind'];
export type OneHopOwnKind = (MemberList | Gossip | GetMembers)['kind'];
