import { randomUUID } from 'node:crypto';
import {
  InviteClientTransaction,
  InviteServerTransaction,
  NonInviteClientTransaction,
  NonInviteServerTransaction,
  Parser,
  TransactionState,
} from 'sip.js/lib/core/index.js';
import type {
  ClientTransaction,
  ClientTransactionUser,
  IncomingRequestMessage,
  IncomingResponseMessage,
  LoggerFactory,
  ServerTransaction,
  Transport,
} from 'sip.js/lib/core/index.js';
import { describeComplaint, salvageRequest } from './datagram-salvage.ts';
import { checkAsUas } from './uas-checks.ts';
import { validateRequest, validateResponse } from './message-validator.ts';
import { isKnownMethod } from './methods.ts';
import { requestDestination, responseDestination } from './next-hop.ts';
import { OutgoingRequest } from './outgoing-request.ts';
import { RawMessage } from './raw-message.ts';
import { badRequest } from './refusal.ts';
import { buildResponse, newTag } from './response-builder.ts';
import type { ResponseOptions } from './response-builder.ts';
import { SipRequest } from './sip-request.ts';
import { SipResponse } from './sip-response.ts';
import { statelessRefusal } from './stateless-refusal.ts';
import type { Tracer } from './trace.ts';
import { clientTransactionKey, serverTransactionKey } from './transaction-key.ts';
import { UdpTransport } from './udp-transport.ts';
import type { Endpoint } from './udp-transport.ts';
import { MAGIC_COOKIE, parseVia, stampReceived, topVia } from './via.ts';
import type { Via } from './via.ts';

export interface SipStackOptions {
  /** Address and port to bind; port 0 picks a free one. */
  host: string;
  port: number;
  /** Address written in Via and Contact when `host` is a wildcard (0.0.0.0 or ::). */
  advertise?: string;
  userAgent?: string;
  trace?: Tracer;
  /** Where unexpected errors go (never thrown into the event loop). */
  onError?: (error: unknown) => void;
}

/** A request handler. It must answer with `request.respond` (now or later) or forward it. */
export type RequestHandler = (request: SipRequest) => void | Promise<void>;

/** End-to-end ACKs (for 2xx) are not part of any transaction; whoever owns the dialog takes them. */
export type AckHandler = (ack: SipRequest) => void;

export interface RequestSpec {
  method: string;
  uri: string;
  /** name-addr or URI */
  from: string;
  fromTag?: string;
  to: string;
  toTag?: string;
  callId?: string;
  cseq?: number;
  contact?: string;
  route?: string[];
  maxForwards?: number;
  headers?: Array<[string, string]>;
  /** UTF-8 text */
  body?: string;
  contentType?: string;
  /** Send here instead of where Route / Request-URI point. */
  destination?: Endpoint;
}

export interface RequestCallbacks {
  onProvisional?: (response: SipResponse) => void;
  /**
   * Every final response, including retransmitted 2xx to an INVITE (which a proxy must relay
   * each time, RFC 6026) — the promise settles on the first one only.
   */
  onFinal?: (response: SipResponse) => void;
  /**
   * Give up sooner than Timer B/F (64*T1 = 32 s): a person waiting for a login, or an overlay
   * hop that must detect a dead peer quickly. The transaction is abandoned when it fires.
   */
  timeoutMs?: number;
  /**
   * Give up when not even a provisional response arrives within this time: a next hop that
   * does not answer an INVITE with 100 Trying at once is dead, however long the call may ring.
   */
  firstResponseMs?: number;
}

export class RequestTimeoutError extends Error {
  constructor(method: string, uri: string) {
    super(`No answer to ${method} ${uri}: the other side did not respond in time`);
    this.name = 'RequestTimeoutError';
  }
}

export class TransportFailureError extends Error {
  constructor(method: string, uri: string, cause: string) {
    super(`Could not send ${method} to ${uri}: ${cause}`);
    this.name = 'TransportFailureError';
  }
}

/** Counters an operator (and the benchmarks) can read. */
export interface SipStackStats {
  received: number;
  sent: number;
  /** Datagram payload bytes (UDP/IP headers not counted). */
  bytesReceived: number;
  bytesSent: number;
  malformed: number;
  retransmissionsAbsorbed: number;
  serverTransactions: number;
  clientTransactions: number;
}

const quietLogger = { error() {}, warn() {}, log() {}, debug() {} };
const loggerFactory = { getLogger: () => quietLogger } as unknown as LoggerFactory;

const ALWAYS_ALLOWED = ['OPTIONS', 'ACK', 'CANCEL'];
const ACCEPTED_BODIES = ['application/p2p+xml', 'application/sdp', 'multipart/mixed'];

/**
 * One node's SIP element over UDP: transport, the RFC 3261 section 17 transaction layer
 * (sip.js's transactions, with the UDP timers from our patch), and a method table for the
 * transaction user. Every node is registrar, proxy and user agent at once; which role answers
 * a request is the business of the handler registered for its method.
 *
 * ```
 *   datagram ──► parse ──► validate ──► server transaction? ──yes──► absorb retransmission
 *                 │ fail       │ bad            │ no
 *                 ▼            ▼                ▼
 *               400 or drop   4xx/505     new transaction ──► handler(method) or 405
 * ```
 *
 * start/stop: `SipStack.listen()` binds; `close()` is safe to call twice.
 */
export class SipStack {
  readonly stats: SipStackStats = {
    received: 0,
    sent: 0,
    bytesReceived: 0,
    bytesSent: 0,
    malformed: 0,
    retransmissionsAbsorbed: 0,
    serverTransactions: 0,
    clientTransactions: 0,
  };
  private readonly handlers = new Map<string, RequestHandler>();
  private ackHandler: AckHandler | undefined;
  private readonly serverTransactions = new Map<string, { tx: ServerTransaction; request: SipRequest }>();
  private readonly clientTransactions = new Map<string, ClientTransaction>();
  private closed = false;
  readonly userAgent: string;

  private constructor(
    private readonly transport: UdpTransport,
    private readonly options: SipStackOptions,
  ) {
    this.userAgent = options.userAgent ?? 'Chordline';
    transport.onDatagram = (data, from) => {
      try {
        this.receive(data, from);
      } catch (error) {
        // No datagram may crash a node.
        this.stats.malformed++;
        this.report(error);
      }
    };
    transport.onError = (error) => this.report(error);
    this.handle('OPTIONS', (request) => this.answerOptions(request));
  }

  static async listen(options: SipStackOptions): Promise<SipStack> {
    const transport = await UdpTransport.bind(options.host, options.port);
    return new SipStack(transport, options);
  }

  /** The address and port peers reach this node on. */
  get endpoint(): Endpoint {
    let address = this.options.advertise ?? this.transport.host;
    if (address === '0.0.0.0') address = '127.0.0.1';
    if (address === '::') address = '::1';
    return { address, port: this.transport.port };
  }

  /** host:port as it appears in a SIP URI (IPv6 in brackets). */
  get hostport(): string {
    const { address, port } = this.endpoint;
    return `${address.includes(':') ? `[${address}]` : address}:${port}`;
  }

  /** sip:host:port of this node, for Contact, Record-Route and NodeURL. */
  get uri(): string {
    return `sip:${this.hostport}`;
  }

  handle(method: string, handler: RequestHandler): void {
    this.handlers.set(method.toUpperCase(), handler);
  }

  onAck(handler: AckHandler): void {
    this.ackHandler = handler;
  }

  get allowedMethods(): string[] {
    return [...new Set([...this.handlers.keys(), ...ALWAYS_ALLOWED])].sort();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const { tx } of this.serverTransactions.values()) tx.dispose();
    for (const tx of this.clientTransactions.values()) tx.dispose();
    this.serverTransactions.clear();
    this.clientTransactions.clear();
    this.transport.close();
  }

  // ---------------------------------------------------------------- receiving

  private receive(data: string, from: Endpoint): void {
    if (this.closed) return;
    this.stats.received++;
    this.stats.bytesReceived += data.length;
    this.options.trace?.({ direction: 'in', local: this.endpoint, remote: from, text: data, at: new Date() });
    if (/^\s*$/.test(data)) return; // RFC 5626 keep-alive
    // RFC 3261 section 7.5: "Implementations processing SIP messages over stream-oriented
    // transports MUST ignore any CRLF appearing before the start-line". Harmless over UDP too.
    const text = data.replace(/^(?:\r\n)+/, '');
    let complaint: string | undefined;
    const note = (m: unknown) => (complaint ??= String(m));
    const logger = { error: note, warn: note, log() {}, debug() {} };
    let message: IncomingRequestMessage | IncomingResponseMessage | undefined;
    try {
      message = Parser.parseMessage(text, logger as never);
    } catch (error) {
      // sip.js's parser throws on some responses (a CSeq it cannot read); that is a malformed
      // datagram, not a fault of this node.
      complaint = error instanceof Error ? error.message : String(error);
    }
    if (!message) {
      this.stats.malformed++;
      this.refuseUnparseable(text, from, complaint);
      return;
    }
    if ('statusCode' in message && message.statusCode !== undefined) {
      this.receiveResponse(message as IncomingResponseMessage, from);
    } else {
      this.receiveRequest(message as IncomingRequestMessage, from);
    }
  }

  /**
   * RFC 3261 section 8.2 and RFC 4475 section 3.1.2: a request first passes the strict checks
   * (message-validator.ts); a malformed one is refused statelessly with the reason, before any
   * transaction or handler sees it. What a UAS alone refuses is the handler's business
   * (uas-checks.ts), because a proxy forwards what a UAS would refuse.
   */
  private receiveRequest(message: IncomingRequestMessage, from: Endpoint): void {
    let raw: RawMessage;
    try {
      raw = RawMessage.parse(message.data);
    } catch {
      this.stats.malformed++;
      this.refuseUnparseable(message.data, from);
      return;
    }
    const refusal = validateRequest(raw);
    if (refusal) {
      this.stats.malformed++;
      const answer = statelessRefusal(raw, refusal, from);
      if (answer) this.sendStateless(answer.text, answer.destination);
      return;
    }
    // The checks above make the top Via parseable; its original text keys the transaction.
    const originalTopVia = raw.topValue('via') ?? '';
    const received = parseVia(originalTopVia);
    // Stamp received/rport before anything copies the Via into a response.
    raw.removeTopValue('via');
    raw.prepend('Via', stampReceived(originalTopVia, from));
    const via = parseVia(raw.topValue('via') ?? '');
    const replyTo = responseDestination(via);

    // RFC 4475 3.2.1 (badbranch): a branch that is the magic cookie alone carries no
    // transaction identifier, so the request is matched the RFC 2543 way (RFC 3261 17.2.3).
    const keyVia = received.branch === MAGIC_COOKIE ? { ...received, branch: undefined } : received;
    const key = serverTransactionKey(message.method, keyVia, {
      requestUri: raw.startLine.split(' ')[1],
      fromTag: message.fromTag ?? '',
      callId: message.callId,
      cseq: message.cseq,
      topVia: originalTopVia,
    });
    const existing = this.serverTransactions.get(key);
    if (existing) {
      // A retransmission, or the ACK of a non-2xx final response: the transaction absorbs it.
      if (message.method !== 'ACK') this.stats.retransmissionsAbsorbed++;
      existing.tx.receiveRequest(message);
      return;
    }
    if (message.method === 'ACK') {
      // ACK for a 2xx is end to end (RFC 3261 section 17.1.1.3).
      const ack = new SipRequest(message, raw, from, via, { respond() {}, relay() {}, finalSent: true }, '');
      this.ackHandler?.(ack);
      return;
    }
    if (message.method === 'CANCEL') {
      this.receiveCancel(message, raw, from, via, replyTo);
      return;
    }
    const handler = this.handlers.get(message.method);
    const { request } = this.openServerTransaction(key, message, raw, from, via, replyTo);
    if (message.method === 'INVITE') request.respond(100);
    if (!handler) {
      // RFC 3261 section 8.2.1: 405 for a method this node recognizes but does not support;
      // section 21.5.2: 501 for one it does not recognize (RFC 4475 3.1.1.2, 3.1.1.5).
      const allow: Array<[string, string]> = [['Allow', this.allowedMethods.join(', ')]];
      if (isKnownMethod(message.method)) request.respond(405, { headers: allow });
      else request.respond(501, { reason: 'Not Implemented: unknown method', headers: allow });
      return;
    }
    this.dispatch(handler, request);
  }

  private dispatch(handler: RequestHandler, request: SipRequest): void {
    const fail = (error: unknown) => {
      this.report(error);
      if (!request.finalSent) request.respond(500, { reason: 'Server Internal Error' });
    };
    try {
      const result = handler(request);
      if (result instanceof Promise) result.catch(fail);
    } catch (error) {
      fail(error);
    }
  }

  /**
   * RFC 3261 section 9.2: CANCEL has a transaction of its own and is answered 200 at once when
   * it matches a pending INVITE (which the TU then ends with 487), 481 when it matches none.
   */
  private receiveCancel(
    message: IncomingRequestMessage,
    raw: RawMessage,
    from: Endpoint,
    via: Via,
    replyTo: Endpoint,
  ): void {
    const original = parseVia(raw.topValue('via') ?? '');
    const inviteKey = serverTransactionKey('INVITE', original, {
      requestUri: raw.startLine.split(' ')[1],
      fromTag: message.fromTag ?? '',
      callId: message.callId,
      cseq: message.cseq,
      topVia: raw.topValue('via') ?? '',
    });
    const cancelKey = inviteKey.replace(/\|INVITE$/, '|CANCEL');
    const existingCancel = this.serverTransactions.get(cancelKey);
    if (existingCancel) {
      existingCancel.tx.receiveRequest(message);
      return;
    }
    const { request } = this.openServerTransaction(cancelKey, message, raw, from, via, replyTo);
    const invite = this.findInviteForCancel(original.branch, message);
    if (!invite) {
      request.respond(481, { reason: 'Call/Transaction Does Not Exist' });
      return;
    }
    request.respond(200);
    invite.notifyCancel();
  }

  private findInviteForCancel(
    branch: string | undefined,
    cancel: IncomingRequestMessage,
  ): SipRequest | undefined {
    for (const [key, entry] of this.serverTransactions) {
      if (!key.endsWith('|INVITE')) continue;
      const sameBranch = branch !== undefined && entry.request.via.branch === branch;
      const same2543 =
        key.startsWith('2543|') &&
        entry.request.callId === cancel.callId &&
        entry.request.cseq === cancel.cseq;
      if ((sameBranch || same2543) && entry.tx.state === TransactionState.Proceeding) return entry.request;
    }
    return undefined;
  }

  private openServerTransaction(
    key: string,
    message: IncomingRequestMessage,
    raw: RawMessage,
    from: Endpoint,
    via: Via,
    replyTo: Endpoint,
  ): { tx: ServerTransaction; request: SipRequest } {
    const transport = this.transportTo(replyTo);
    const user = { loggerFactory };
    const tx =
      message.method === 'INVITE'
        ? new InviteServerTransaction(message, transport, user)
        : new NonInviteServerTransaction(message, transport, user);
    let finalSent = false;
    const pass = (status: number, text: string) => {
      try {
        tx.receiveResponse(status, text);
      } catch (error) {
        this.report(error);
      }
    };
    const responder = {
      respond: (status: number, options: ResponseOptions = {}) => {
        if (finalSent) return;
        if (status >= 200) finalSent = true;
        pass(
          status,
          buildResponse(raw, status, { ...options, headers: this.withServerHeaders(options.headers) }),
        );
      },
      relay: (status: number, text: string) => {
        // A 2xx to an INVITE may be relayed again (its retransmissions); anything else once.
        if (finalSent && !(status >= 200 && status < 300 && message.method === 'INVITE')) return;
        if (status >= 200) finalSent = true;
        pass(status, text);
      },
      retransmitAccepted: () => {
        if (tx instanceof InviteServerTransaction) tx.retransmitAcceptedResponse();
      },
      get finalSent() {
        return finalSent;
      },
    };
    const request = new SipRequest(message, raw, from, via, responder, newTag());
    const entry = { tx, request };
    this.serverTransactions.set(key, entry);
    this.stats.serverTransactions++;
    tx.addStateChangeListener(() => {
      if (tx.state === TransactionState.Terminated) this.serverTransactions.delete(key);
    });
    return entry;
  }

  private withServerHeaders(headers: Array<[string, string]> = []): Array<[string, string]> {
    return headers.some(([n]) => n.toLowerCase() === 'server')
      ? headers
      : [...headers, ['Server', this.userAgent]];
  }

  /**
   * RFC 3261 section 18.3: a response whose framing is wrong "MUST be discarded"; RFC 4475
   * 3.1.2.5 and 3.1.2.19: so is one with out-of-range scalars. A valid response that matches no
   * client transaction is stray and dropped too (RFC 4475 3.3.10: an endpoint discards a 200
   * with a broadcast Via).
   */
  private receiveResponse(message: IncomingResponseMessage, _from: Endpoint): void {
    let raw: RawMessage;
    try {
      raw = RawMessage.parse(message.data);
    } catch {
      this.stats.malformed++;
      return;
    }
    if (validateResponse(raw) !== undefined) {
      this.stats.malformed++;
      return;
    }
    let via: Via | undefined;
    try {
      via = topVia(raw.values('via'));
    } catch {
      this.stats.malformed++;
      return;
    }
    if (!via?.branch) return;
    const tx = this.clientTransactions.get(clientTransactionKey(via.branch, message.method));
    if (!tx) return; // stray or late response: nothing waits for it
    tx.receiveResponse(message);
  }

  /**
   * A datagram sip.js could not parse. If it still looks like a request with a Via and a
   * Call-ID, answer it statelessly with what is wrong: the strict checks name the problem (505
   * for another SIP version, 400 otherwise), else the framing problem, else sip.js's complaint.
   * Responses and anything without a usable Via are dropped.
   */
  private refuseUnparseable(data: string, from: Endpoint, parserComplaint?: string): void {
    const salvaged = salvageRequest(data);
    if (!salvaged) return;
    const { raw } = salvaged;
    if (raw.values('via').length === 0 || raw.values('call-id').length === 0) return;
    const fallback = salvaged.problem ?? describeComplaint(parserComplaint);
    const refusal = validateRequest(raw) ?? badRequest(fallback);
    const answer = statelessRefusal(raw, refusal, from);
    if (answer) this.sendStateless(answer.text, answer.destination);
  }

  // ---------------------------------------------------------------- sending

  /** A sip.js Transport bound to one destination: sip.js's `send(message)` has none of its own. */
  private transportTo(destination: Endpoint): Transport {
    return {
      protocol: 'UDP',
      send: (text: string) => this.sendRaw(text, destination),
    };
  }

  sendRaw(text: string, destination: Endpoint): Promise<void> {
    this.stats.sent++;
    this.stats.bytesSent += text.length;
    this.options.trace?.({
      direction: 'out',
      local: this.endpoint,
      remote: destination,
      text,
      at: new Date(),
    });
    return this.transport.send(text, destination);
  }

  private sendStateless(text: string, destination: Endpoint): void {
    this.sendRaw(text, destination).catch((error) => this.report(error));
  }

  /**
   * Sends a request in a client transaction and resolves with its final response. Provisional
   * responses go to `onProvisional`. Rejects with RequestTimeoutError (Timer B/F) or
   * TransportFailureError.
   */
  async request(spec: RequestSpec, callbacks: RequestCallbacks = {}): Promise<SipResponse> {
    const outgoing = this.buildRequest(spec);
    const destination = spec.destination ?? (await requestDestination(spec.uri, spec.route?.[0]));
    return this.sendRequest(outgoing, destination, callbacks);
  }

  /** Builds the request text for `spec` without sending it (the trust layer signs it first). */
  buildRequest(spec: RequestSpec): OutgoingRequest {
    const headers: Array<{ name: string; value: string }> = [];
    const push = (name: string, value: string) => headers.push({ name, value });
    for (const route of spec.route ?? []) push('Route', route);
    push('Max-Forwards', String(spec.maxForwards ?? 70));
    push('From', `${asNameAddr(spec.from)};tag=${spec.fromTag ?? newTag()}`);
    push('To', asNameAddr(spec.to) + (spec.toTag ? `;tag=${spec.toTag}` : ''));
    push('Call-ID', spec.callId ?? randomUUID());
    push('CSeq', `${spec.cseq ?? 1} ${spec.method}`);
    if (spec.contact) push('Contact', asNameAddr(spec.contact));
    push('User-Agent', this.userAgent);
    for (const [name, value] of spec.headers ?? []) push(name, value);
    const body = spec.body === undefined ? '' : Buffer.from(spec.body, 'utf8').toString('latin1');
    if (body) push('Content-Type', spec.contentType ?? 'text/plain');
    const raw = new RawMessage(`${spec.method} ${spec.uri} SIP/2.0`, headers, body);
    return new OutgoingRequest(raw, this.hostport);
  }

  /** Sends an already built (and perhaps forwarded) request in a new client transaction. */
  sendRequest(
    outgoing: OutgoingRequest,
    destination: Endpoint,
    callbacks: RequestCallbacks = {},
  ): Promise<SipResponse> {
    return new Promise((resolve, reject) => {
      const { method, ruri } = outgoing;
      let settled = false;
      let silence: NodeJS.Timeout | undefined;
      const user: ClientTransactionUser = {
        loggerFactory,
        receiveResponse: (message: IncomingResponseMessage) => {
          clearTimeout(silence);
          const response = new SipResponse(message, destination);
          if (response.status < 200) {
            callbacks.onProvisional?.(response);
            return;
          }
          callbacks.onFinal?.(response);
          if (!settled) {
            settled = true;
            resolve(response);
          }
        },
        onRequestTimeout: () => {
          if (!settled) {
            settled = true;
            reject(new RequestTimeoutError(method, ruri));
          }
        },
        onTransportError: (error) => {
          if (!settled) {
            settled = true;
            reject(new TransportFailureError(method, ruri, error.message));
          }
        },
      };
      const transport = this.transportTo(destination);
      const tx =
        method === 'INVITE'
          ? new InviteClientTransaction(outgoing as never, transport, user)
          : new NonInviteClientTransaction(outgoing as never, transport, user);
      const key = clientTransactionKey(tx.id, method);
      this.clientTransactions.set(key, tx);
      const abandon = () => {
        if (settled) return;
        settled = true;
        this.clientTransactions.delete(key);
        tx.dispose();
        reject(new RequestTimeoutError(method, ruri));
      };
      if (callbacks.timeoutMs !== undefined) {
        const timer = setTimeout(abandon, callbacks.timeoutMs);
        timer.unref();
        tx.addStateChangeListener(() => {
          if (tx.state === TransactionState.Terminated) clearTimeout(timer);
        });
      }
      if (callbacks.firstResponseMs !== undefined) {
        silence = setTimeout(abandon, callbacks.firstResponseMs);
        silence.unref();
      }
      this.stats.clientTransactions++;
      tx.addStateChangeListener(() => {
        if (tx.state === TransactionState.Terminated) this.clientTransactions.delete(key);
      });
    });
  }

  /** OPTIONS is answered by this node as a UAS: the same checks as any request addressed to it. */
  private answerOptions(request: SipRequest): void {
    const refusal = checkAsUas(request, { supported: [], accept: ACCEPTED_BODIES });
    if (refusal) return request.respond(refusal.status, { reason: refusal.reason, headers: refusal.headers });
    request.respond(200, {
      headers: [
        ['Allow', this.allowedMethods.join(', ')],
        ['Accept', ACCEPTED_BODIES.join(', ')],
        ['Contact', `<${this.uri}>`],
      ],
    });
  }

  private report(error: unknown): void {
    this.options.onError?.(error);
  }
}

function asNameAddr(value: string): string {
  return value.includes('<') ? value : `<${value}>`;
}
