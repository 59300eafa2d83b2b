import type { IncomingRequestMessage } from 'sip.js/lib/core/index.js';
import { IncomingView } from './incoming-view.ts';
import { nameAddrUri } from './next-hop.ts';
import type { RawMessage } from './raw-message.ts';
import { splitCommaList } from './raw-message.ts';
import type { ResponseOptions } from './response-builder.ts';
import type { Endpoint } from './udp-transport.ts';
import { parseVia } from './via.ts';
import type { Via } from './via.ts';

export interface ContactValue {
  uri: string;
  expires: number | undefined;
  /** "Contact: *", which removes every binding (RFC 3261 section 10.2.2) */
  star: boolean;
}

/** What the stack does on behalf of one incoming request (kept narrow so tests can fake it). */
export interface RequestResponder {
  respond(status: number, options?: ResponseOptions): void;
  /** Sends a response that came from downstream (a proxy relaying it upstream). */
  relay(status: number, text: string): void;
  /** Sends the 2xx to an INVITE again (RFC 3261 13.3.1.4: the UAS core retransmits it until the ACK). */
  retransmitAccepted?(): void;
  readonly finalSent: boolean;
}

/**
 * A request this node received, inside its server transaction. Layers above `sip/` see SIP
 * only through this class: no sip.js type leaves the folder.
 */
export class SipRequest extends IncomingView<IncomingRequestMessage> {
  private cancelListeners: Array<() => void> = [];
  cancelled = false;

  constructor(
    message: IncomingRequestMessage,
    /** The request as text, with the received/rport this node stamped on the top Via. */
    readonly raw: RawMessage,
    readonly source: Endpoint,
    readonly via: Via,
    private readonly responder: RequestResponder,
    /** The To tag this node uses in every response to this request. */
    readonly localTag: string,
  ) {
    super(message);
  }

  get method(): string {
    return this.message.method;
  }

  get requestUri(): string {
    return this.message.ruri?.toString() ?? this.raw.startLine.split(' ')[1];
  }

  get fromAor(): string {
    const uri = this.message.from?.uri;
    return uri ? `${uri.scheme}:${uri.user ? uri.user + '@' : ''}${uri.host}` : '';
  }

  get maxForwards(): number {
    const value = this.message.getHeader('max-forwards');
    return value === undefined ? 70 : Number(value);
  }

  /** Expires header in seconds, or undefined. */
  get expires(): number | undefined {
    const value = this.message.getHeader('expires');
    return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;
  }

  /** Contact URIs with their parameters, e.g. [{ uri: 'sip:a@1.2.3.4', expires: 3600 }]. */
  get contacts(): ContactValue[] {
    return this.raw.values('contact').flatMap((line): ContactValue[] =>
      line.trim() === '*'
        ? [{ uri: '*', expires: undefined, star: true }]
        : splitCommaList(line).map((value) => {
            const params = value.slice(value.lastIndexOf('>') + 1);
            const e = /;\s*expires\s*=\s*(\d+)/i.exec(params);
            return { uri: nameAddrUri(value), expires: e ? Number(e[1]) : undefined, star: false };
          }),
    );
  }

  headers(name: string): string[] {
    return this.raw.values(name);
  }

  get finalSent(): boolean {
    return this.responder.finalSent;
  }

  respond(status: number, options: ResponseOptions = {}): void {
    this.responder.respond(status, { toTag: this.localTag, ...options });
  }

  /** Relays a downstream response, already stripped of this node's Via, upstream. */
  relay(status: number, text: string): void {
    this.responder.relay(status, text);
  }

  /** Sends this INVITE's 2xx again; nothing once its server transaction has ended (Timer L). */
  retransmitAccepted(): void {
    this.responder.retransmitAccepted?.();
  }

  /** The Route values, top first (name-addr text as received). */
  get routes(): string[] {
    return this.raw.values('route').flatMap(splitCommaList);
  }

  /**
   * The sent-by (host:port) of every Via, top first: the peers the request crossed, the one
   * that sent it to this node first and the originator last.
   */
  get viaPath(): string[] {
    return this.raw
      .values('via')
      .flatMap(splitCommaList)
      .map((value) => {
        const via = parseVia(value);
        const host = via.host.includes(':') ? `[${via.host}]` : via.host;
        return `${host}:${via.port ?? 5060}`;
      });
  }

  /** Called once if a CANCEL for this (INVITE) request arrives. */
  onCancel(listener: () => void): void {
    if (this.cancelled) listener();
    else this.cancelListeners.push(listener);
  }

  /** @internal the stack tells the request it was cancelled. */
  notifyCancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    for (const l of this.cancelListeners.splice(0)) l();
  }
}
