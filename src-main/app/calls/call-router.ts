import { aorKey } from '../../overlay/overlay.ts';
import type { Overlay } from '../../overlay/overlay.ts';
import { canonicalAor, nameAddrUri, requestDestination, uriEndpoint } from '../../sip/index.ts';
import type { Endpoint, ProxyTarget, SipRequest, Proxy } from '../../sip/index.ts';
import type { MessageTrust, Verified } from '../../trust/trust-layer.ts';

type Admitted = Extract<Verified, { ok: true }>;

export interface CallRouterDependencies {
  proxy: Proxy;
  trust: MessageTrust;
  /** This node's SIP endpoint, to recognise a Route or Request-URI naming it. */
  endpoint(): Endpoint;
  /** The AOR this device is registered under. */
  selfAor(): string;
  /** The overlay that runs the identity layer here, whatever its algorithm; undefined before joining. */
  identity(): Overlay | undefined;
  /** Hands a request meant for this very device to its user agent. */
  deliver(request: SipRequest, verified: Admitted): void;
  /** Counts, for the status page and the tests. */
  stats: { proxied: number; forked: number; notFound: number; detours: number };
}

/** A next hop that does not answer with 100 Trying by then is dead (Timer A resends at 500 ms). */
export const CALL_HOP_TIMEOUT_MS = 2000;
/** Dead next hops one INVITE may route around before it gives up with 408. */
const MAX_DETOURS = 4;

/**
 * The proxy role every peer plays for calls (paper, section 4.2, last paragraph): an INVITE for
 * sip:bob@domain is passed hop by hop through the identity overlay toward the key SHA-1(AOR),
 * each hop having verified its signature (PeerNode does that before this runs). The Request-URI
 * stays the AOR all the way, so the caller's signature over it holds at every hop; the overlay
 * mechanism never shows in a SIP header.
 *
 * ```
 *   INVITE ─▶ Route names me, or R-URI is my address? ──yes──▶ deliver to my user agent
 *                  │ no
 *                  ▼
 *             identity.nextHop(SHA-1(AOR)) ── closer / owner ──▶ proxy there (no 100 Trying
 *                  │ here                                          in 2 s: avoid it, try again)
 *                  ▼
 *             bindings I hold for the AOR ── none ──▶ 404 (signed)
 *                  │
 *                  ▼
 *             fork to each device, with a Route naming it ── nobody answers ──▶ 480
 * ```
 *
 * Max-Forwards bounds the path (483); a peer not yet in the overlay answers 503.
 */
export class CallRouter {
  constructor(private readonly deps: CallRouterDependencies) {}

  async route(request: SipRequest, verified: Admitted): Promise<void> {
    const { deps } = this;
    if (this.namesMe(request)) return deps.deliver(request, verified);
    const identity = deps.identity();
    if (!identity?.state().joined) {
      return request.respond(503, {
        reason: 'Service Unavailable: this peer has not joined the identity overlay yet',
      });
    }
    if (!deps.proxy.canForward(request)) return; // 483 or 420, answered
    const aor = canonicalAor(request.requestUri);
    if (!/^sips?:[^@]+@/.test(aor)) {
      return request.respond(404, { reason: `Not Found: ${request.requestUri} is not a user's address` });
    }
    if (aor === deps.selfAor() && verified.doc.signature) {
      // I am one of this AOR's devices: the responsible node will send the call back to me.
      deps.trust.expectEcho(verified.doc.signature);
    }
    const key = aorKey(aor);
    const avoid = new Set<string>();
    for (let detour = 0; detour <= MAX_DETOURS; detour++) {
      const hop = identity.nextHop(key, avoid);
      if (hop.kind === 'here') return this.fork(request, verified, identity, aor);
      if (hop.kind === 'none') break;
      let destination: Endpoint;
      try {
        destination = await requestDestination(hop.node.url, undefined);
      } catch {
        avoid.add(hop.node.id);
        continue;
      }
      const replica = identity.localBindings(aor).length > 0;
      if (replica && sameEndpoint(destination, request.source)) {
        // The node that sent me this call would have it back: while the ring repairs, two
        // nodes may each take the other for the responsible one (the node between them died,
        // and I, its successor, still count it as my predecessor). I hold the AOR's bindings
        // as the dead node's replica: ring the devices from here.
        return this.fork(request, verified, identity, aor);
      }
      deps.stats.proxied++;
      const outcome = await deps.proxy.forward(request, [{ destination }], {
        firstResponseMs: CALL_HOP_TIMEOUT_MS,
        unanswered: 'caller',
        keep: replica ? [482] : [],
      });
      if (outcome.status === 482 && outcome.relayed === false) {
        // The call came back to a peer it had passed (a longer loop of the same kind).
        return this.fork(request, verified, identity, aor);
      }
      if (outcome.heard || request.finalSent) return;
      // Silence: the node is gone. Tell the overlay, and route around it.
      deps.stats.detours++;
      avoid.add(hop.node.id);
      identity.reportFailure(hop.node);
      if (request.cancelled) return request.respond(487, { reason: 'Request Terminated' });
    }
    request.respond(408, { reason: `Request Timeout: no peer on the way to ${aor} answered` });
  }

  /** I am responsible for the AOR: ring every device registered for it (but the caller's own). */
  private async fork(request: SipRequest, verified: Admitted, identity: Overlay, aor: string): Promise<void> {
    const { deps } = this;
    const bindings = identity.localBindings(aor).filter((b) => b.nodeId !== verified.sender.nodeId);
    if (bindings.length === 0) {
      deps.stats.notFound++;
      deps.trust.respond(request, 404, [], `Not Found: nobody is registered as ${aor}`, {
        fullCertificate: true,
      });
      return;
    }
    const me = deps.endpoint();
    const targets: ProxyTarget[] = [];
    for (const binding of bindings) {
      try {
        targets.push({
          destination: await requestDestination(binding.contact, undefined),
          route: `<${binding.contact};lr>`,
        });
      } catch {
        // A contact we cannot resolve is a device we cannot ring; the others may still answer.
      }
      const hop = uriEndpoint(binding.contact);
      // The device is this very node: it will verify the same signature a second time.
      if (hop?.host === me.address && hop.port === me.port && verified.doc.signature) {
        deps.trust.expectEcho(verified.doc.signature);
      }
    }
    deps.stats.forked++;
    const devices =
      targets.length === 1 ? 'its device did not answer' : `none of its ${targets.length} devices answered`;
    await deps.proxy.forward(request, targets, {
      firstResponseMs: CALL_HOP_TIMEOUT_MS,
      unanswered: { status: 480, reason: `Temporarily Unavailable: ${aor} is registered but ${devices}` },
    });
  }

  /** A Route naming this node (a responsible node delivering to a device), or a Request-URI that is its address. */
  private namesMe(request: SipRequest): boolean {
    const me = this.deps.endpoint();
    const top = request.routes[0];
    const target = top !== undefined ? nameAddrUri(top) : request.requestUri;
    const hop = uriEndpoint(target);
    return hop !== undefined && hop.host === me.address && hop.port === me.port;
  }
}

function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  return a.address === b.address && a.port === b.port;
}
