import { nameAddrUri, requestDestination, uriEndpoint } from './next-hop.ts';
import { cancelFor } from './cancel-request.ts';
import { OutgoingRequest } from './outgoing-request.ts';
import { RawMessage } from './raw-message.ts';
import type { SipRequest } from './sip-request.ts';
import type { SipResponse } from './sip-response.ts';
import { RequestTimeoutError } from './sip-stack.ts';
import type { SipStack } from './sip-stack.ts';
import type { Endpoint } from './udp-transport.ts';
import { MAGIC_COOKIE } from './via.ts';

/** One place a request is forwarded to. */
export interface ProxyTarget {
  destination: Endpoint;
  /** Rewrites the Request-URI (a registrar's contact); keeps it when absent. */
  requestUri?: string;
  /** A Route value pushed on top of the copy: the request keeps its Request-URI and names its hop. */
  route?: string;
}

export interface ProxyOptions {
  /** Insert Record-Route so that in-dialog requests come back through this node. */
  recordRoute?: boolean;
  /** Extra header fields to add to the forwarded copy (e.g. a hop's signature). */
  headers?: Array<[string, string]>;
  /** A branch that has not had even a provisional response by then has failed (a dead hop). */
  firstResponseMs?: number;
  /**
   * What to answer upstream when no branch answered at all (default 408, or 480 if none timed
   * out); 'caller' sends nothing, so that the caller may try elsewhere (an overlay routing
   * around a dead node) and must answer the request itself.
   */
  unanswered?: { status: number; reason: string } | 'caller';
  /**
   * Final statuses the caller wants to handle itself instead of relaying them upstream (e.g.
   * 482 Loop Detected, when the caller has another way to serve the request). The outcome then
   * has `relayed: false` and the caller must answer the request.
   */
  keep?: readonly number[];
}

/** What happened to a forwarded request, for the layer that chose the targets. */
export interface ProxyOutcome {
  /** The final status sent upstream. */
  status: number;
  /** Final status of each branch, in target order (408 for a branch that never answered). */
  branches: number[];
  /** Whether any branch answered at all (100 Trying included). */
  heard: boolean;
  /** False when a final answer is still owed upstream (`unanswered: 'caller'` or `keep`). */
  relayed?: boolean;
}

interface Branch {
  target: ProxyTarget;
  outgoing: OutgoingRequest;
  /** Answered with anything at all (100 Trying included). */
  heard: boolean;
  provisional: boolean;
  final: SipResponse | undefined;
  failed: number | undefined;
  cancelPending: boolean;
}

/**
 * The stateful proxy role of RFC 3261 section 16, which every Chordline node plays for
 * requests that are not its own: Max-Forwards (483 at zero), Route pre-processing, Record-Route,
 * a Via pushed per branch and popped from each response, parallel forking with the best final
 * response chosen, and CANCEL relayed to pending branches.
 *
 * ```
 *   request ─► checks ─► copy per target ─► client transaction per branch
 *                                             │ 1xx: relay upstream (not 100)
 *                                             │ 2xx: relay now, CANCEL the others
 *                                             │ 6xx: CANCEL the others, relay
 *                                             ▼ all final: relay the best (16.7 step 6)
 * ```
 */
export class Proxy {
  constructor(private readonly stack: SipStack) {}

  /**
   * RFC 3261 section 16.3 step 3: "If the request has a Max-Forwards header field value of
   * zero, the proxy MUST NOT forward the request" and answers 483.
   */
  canForward(request: SipRequest): boolean {
    if (request.maxForwards <= 0) {
      request.respond(483, { reason: 'Too Many Hops' });
      return false;
    }
    // 16.3 step 5: "If the request contains a Proxy-Require header field with one or more
    // option-tags this element does not understand, the element MUST return a 420".
    const unknown = request
      .headers('proxy-require')
      .flatMap((v) => v.split(',').map((t) => t.trim()))
      .filter(Boolean);
    if (unknown.length > 0) {
      request.respond(420, { reason: 'Bad Extension', headers: [['Unsupported', unknown.join(', ')]] });
      return false;
    }
    return true;
  }

  async forward(
    request: SipRequest,
    targets: ProxyTarget[],
    options: ProxyOptions = {},
  ): Promise<ProxyOutcome> {
    if (!this.canForward(request)) return { status: 483, branches: [], heard: false };
    if (targets.length === 0) {
      request.respond(480, { reason: 'Temporarily Unavailable' });
      return { status: 480, branches: [], heard: false };
    }
    const branches: Branch[] = targets.map((target) => ({
      target,
      outgoing: this.copyFor(request, target, options),
      heard: false,
      provisional: false,
      final: undefined,
      failed: undefined,
      cancelPending: false,
    }));
    let answered = false;
    const cancelOthers = (except: Branch) => {
      for (const b of branches) if (b !== except) this.cancel(b);
    };
    request.onCancel(() => {
      for (const b of branches) this.cancel(b);
    });

    const attempt = async (branch: Branch): Promise<void> => {
      try {
        await this.stack.sendRequest(branch.outgoing, branch.target.destination, {
          firstResponseMs: options.firstResponseMs,
          onProvisional: (response) => {
            branch.heard = true;
            branch.provisional = true;
            if (branch.cancelPending) this.sendCancel(branch);
            // 16.7 step 5: provisional responses other than 100 are forwarded immediately.
            if (response.status > 100 && !answered) request.relay(response.status, withoutTopVia(response));
          },
          onFinal: (response) => {
            branch.heard = true;
            const first = branch.final === undefined;
            branch.final = response;
            if (response.status >= 200 && response.status < 300) {
              // Every 2xx is forwarded, retransmissions included (RFC 6026).
              answered = true;
              request.relay(response.status, withoutTopVia(response));
              if (first) cancelOthers(branch);
            } else if (response.status >= 600 && first && !answered) {
              cancelOthers(branch);
            }
          },
        });
      } catch (error) {
        branch.failed = error instanceof RequestTimeoutError ? 408 : 503;
      }
    };
    await Promise.all(branches.map(attempt));

    const statuses = branches.map((b) => b.final?.status ?? b.failed ?? 408);
    const heard = branches.some((b) => b.heard);
    if (answered) return { status: 200, branches: statuses, heard };
    const best = chooseBest(branches);
    if (best && options.keep?.includes(best.status)) {
      return { status: best.status, branches: statuses, heard, relayed: false };
    }
    if (best) {
      // 16.7 step 6: a 503 from downstream becomes 500 so that the upstream does not think
      // this proxy itself is unavailable.
      if (best.status === 503) request.respond(500, { reason: 'Downstream Service Unavailable' });
      else request.relay(best.status, withoutTopVia(best));
      return { status: best.status === 503 ? 500 : best.status, branches: statuses, heard };
    }
    if (options.unanswered === 'caller' && !heard)
      return { status: 0, branches: statuses, heard, relayed: false };
    const fallback = statuses.includes(408)
      ? { status: 408, reason: 'Request Timeout' }
      : { status: 480, reason: 'Temporarily Unavailable' };
    const { status, reason } =
      options.unanswered === undefined || options.unanswered === 'caller' ? fallback : options.unanswered;
    request.respond(status, { reason });
    return { status, branches: statuses, heard };
  }

  /**
   * An ACK for a 2xx, or any request whose route set names this node, forwarded statelessly
   * along its Route (RFC 3261 section 16.11). Returns false when there is nowhere to send it.
   */
  async forwardStateless(request: SipRequest): Promise<boolean> {
    if (request.maxForwards <= 0) return false;
    const raw = RawMessage.parse(request.raw.toString());
    this.popOwnRoute(raw);
    const mf = raw.first('max-forwards');
    raw.set('Max-Forwards', String(mf === undefined ? 69 : Math.max(0, Number(mf) - 1)));
    // The stateless branch must be the same for retransmissions of the same request:
    // derive it from the upstream branch (16.11).
    const upstream = request.via.branch ?? '';
    raw.prepend('Via', `SIP/2.0/UDP ${this.stack.hostport};branch=${MAGIC_COOKIE}sl${hash(upstream)};rport`);
    const ruri = raw.startLine.split(' ')[1];
    const destination = await requestDestination(ruri, raw.topValue('route'));
    await this.stack.sendRaw(raw.toString(), destination);
    return true;
  }

  private copyFor(request: SipRequest, target: ProxyTarget, options: ProxyOptions): OutgoingRequest {
    const raw = RawMessage.parse(request.raw.toString());
    if (target.requestUri) {
      const [method, , version] = raw.startLine.split(' ');
      raw.startLine = `${method} ${target.requestUri} ${version}`;
    }
    const mf = raw.first('max-forwards');
    raw.set('Max-Forwards', String(mf === undefined ? 70 : Number(mf) - 1));
    this.popOwnRoute(raw);
    if (target.route) raw.prepend('Route', target.route);
    if (options.recordRoute) raw.prepend('Record-Route', `<${this.stack.uri};lr>`);
    for (const [name, value] of options.headers ?? []) raw.set(name, value);
    return new OutgoingRequest(raw, this.stack.hostport);
  }

  /** 16.4: "If the first value in the Route header field indicates this proxy, the proxy MUST remove that value". */
  private popOwnRoute(raw: RawMessage): void {
    const top = raw.topValue('route');
    if (top === undefined) return;
    const hop = uriEndpoint(nameAddrUri(top));
    const me = this.stack.endpoint;
    if (hop && hop.host === me.address && hop.port === me.port) raw.removeTopValue('route');
  }

  /** 16.10 / 9.1: CANCEL a pending branch; wait for its first provisional response if need be. */
  private cancel(branch: Branch): void {
    if (branch.final || branch.failed || branch.cancelPending) return;
    branch.cancelPending = true;
    if (branch.provisional) this.sendCancel(branch);
  }

  private sendCancel(branch: Branch): void {
    if (branch.outgoing.method !== 'INVITE' || branch.final) return;
    this.stack
      .sendRequest(cancelFor(branch.outgoing, this.stack.hostport), branch.target.destination)
      .catch(() => {
        // The INVITE's own transaction reports the outcome; a lost CANCEL changes nothing here.
      });
  }
}

/** The response relayed upstream: the downstream one minus this node's Via (16.7 step 3). */
function withoutTopVia(response: SipResponse): string {
  const raw = RawMessage.parse(response.text);
  raw.removeTopValue('via');
  return raw.toString();
}

/** RFC 3261 16.7 step 6: a 6xx if any, else the lowest class (3xx before 4xx before 5xx). */
function chooseBest(branches: Branch[]): SipResponse | undefined {
  const finals = branches.map((b) => b.final).filter((r): r is SipResponse => r !== undefined);
  const global = finals.find((r) => r.status >= 600);
  if (global) return global;
  return finals.sort((a, b) => Math.floor(a.status / 100) - Math.floor(b.status / 100))[0];
}

function hash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h.toString(36);
}
