import type { Id, NodeRef, OverlayMessage } from '../../overlay/overlay.ts';
import type { PresenceMessage } from '../../overlay/xml/index.ts';

/**
 * How the publisher, the watcher and the rendezvous reach other nodes: the presence overlay's
 * routing and transport, with a request to this node itself served locally. Implementations MUST
 * throw PresenceRefusedError for a refusal and let the transport's timeout errors through.
 */
export interface PresenceCarrier {
  readonly self: NodeRef;
  /** The node responsible for `key` in the presence overlay. */
  owner(key: Id): Promise<NodeRef>;
  /** Sends one presence request and returns the answer. */
  send(to: NodeRef, message: PresenceMessage): Promise<OverlayMessage>;
  now(): number;
}
