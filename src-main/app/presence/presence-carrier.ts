import type { Id, NodeRef, OverlayMessage } from '../../overlay/overlay.ts';
import type { PresenceMessage } from '../../overlay/xml/index.ts';

/**
 * How the publisher, the watcher and the rendezvous reach other nodes: the presence overlay's
 * routing and transport, with a request to this node itself served locally. Implementations MUST
 * throw PresenceRefusedError for a refusal and let the transport's timeout errors through.
 */
export interface PresenceCarrier {
  readonly self: NodeRef;
  /**
   * The node responsible for `key` in the presence overlay. When the ring still names a node in
   * `avoid` (it has just failed to answer, and this node's tables have not caught up), the node to
   * ask instead: the next one toward the key, which answers as the owner or redirects.
   */
  owner(key: Id, avoid?: ReadonlySet<Id>): Promise<NodeRef>;
  /**
   * The node responsible for `key` when this node's own tables name it (the key is near: this
   * node, or one of its successors), without sending anything; undefined otherwise. Optional.
   */
  ownerFromTables?(key: Id): NodeRef | undefined;
  /** Sends one presence request and returns the answer. */
  send(to: NodeRef, message: PresenceMessage): Promise<OverlayMessage>;
  now(): number;
}
