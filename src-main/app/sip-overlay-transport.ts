import type { KnownMessage } from '../overlay/xml/index.ts';
import { OverlayTimeoutError, OverlayUnreachableError } from '../overlay/overlay.ts';
import type {
  NodeRef,
  OverlayMessage,
  OverlayReply,
  OverlayTransport,
  SendOptions,
} from '../overlay/overlay.ts';
import { RequestTimeoutError, requestDestination } from '../sip/index.ts';
import type { Endpoint, SipStack } from '../sip/index.ts';
import type { MessageTrust } from '../trust/trust-layer.ts';

/** Which layer and algorithm a transport carries, as named in `<Overlay layer= algorithm=>`. */
export interface LayerName {
  layer: string;
  algorithm: string;
}

/**
 * The overlay's outgoing boundary over SIP (paper, section 2.3): each message is an
 * application/p2p+xml body of a REGISTER to the other node's NodeURL, signed by the trust layer,
 * with Max-Forwards bounding how many peers it may travel and Expires the binding's lifetime
 * (0 for a graceful leave). The answer is the 200 OK's body, whose signature must be the node's
 * the message went to.
 */
export class SipOverlayTransport implements OverlayTransport {
  private readonly endpoints = new Map<string, Endpoint>();

  constructor(
    private readonly stack: SipStack,
    private readonly trust: MessageTrust,
    private readonly sender: { aor: string; refreshSeconds: () => number },
    private readonly name: LayerName,
  ) {}

  async send(to: NodeRef, message: OverlayMessage, options: SendOptions): Promise<OverlayReply> {
    const destination = await this.endpointOf(to);
    const expires = message.kind === 'Leave' ? 0 : this.sender.refreshSeconds();
    let result;
    try {
      result = await this.trust.send(
        this.stack,
        {
          method: 'REGISTER',
          uri: to.url,
          from: this.sender.aor,
          to: this.sender.aor,
          contact: this.stack.uri,
          maxForwards: options.maxForwards,
          headers: [['Expires', String(expires)]],
          destination,
        },
        [{ ...this.name, messages: [message as unknown as KnownMessage] }],
        options.timeoutMs,
      );
    } catch (error) {
      if (error instanceof RequestTimeoutError) throw new OverlayTimeoutError(to);
      throw new OverlayUnreachableError(to, (error as Error).message);
    }
    const { response, verified } = result;
    if (response.status !== 200) return { ok: false, status: response.status, reason: response.reason };
    if (!verified) return { ok: false, status: 502, reason: 'Answer not signed' };
    if (!verified.ok)
      return { ok: false, status: verified.status, reason: `Answer refused: ${verified.reason}` };
    // The node that answered must be the node we asked, or a forward could be forged.
    if (verified.sender.nodeId !== to.id) {
      return {
        ok: false,
        status: 502,
        reason: `Answered by ${verified.sender.nodeId.slice(0, 8)}, not ${to.id.slice(0, 8)}`,
      };
    }
    const part = verified.doc.overlays.find(
      (o) => o.layer === this.name.layer && o.algorithm === this.name.algorithm,
    );
    const reply = part?.messages[0];
    if (!reply || reply.kind === 'unknown')
      return { ok: false, status: 502, reason: 'Answer carries no message' };
    return { ok: true, message: reply as unknown as OverlayMessage };
  }

  private async endpointOf(node: NodeRef): Promise<Endpoint> {
    let endpoint = this.endpoints.get(node.url);
    if (!endpoint) {
      try {
        endpoint = await requestDestination(node.url, undefined);
      } catch (error) {
        throw new OverlayUnreachableError(node, (error as Error).message);
      }
      if (this.endpoints.size > 4096) this.endpoints.clear();
      this.endpoints.set(node.url, endpoint);
    }
    return endpoint;
  }
}
