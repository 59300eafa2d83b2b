import type { KeyStore } from '../keystore/index.ts';
import type { BootstrapNode, LayerState, OverlayPart, P2pDocument } from '../overlay/xml/index.ts';
import type {
  Endpoint,
  OutgoingRequest,
  RequestSpec,
  SipRequest,
  SipResponse,
  SipStack,
} from '../sip/index.ts';

/** Who signed a message that verified. */
export interface Sender {
  aor: string;
  nodeId: string;
  fingerprint: string;
}

/** A message refused by the trust layer: the SIP status to answer with and why, in words. */
export interface TrustRefusal {
  ok: false;
  status: 400 | 403 | 428;
  reason: string;
  /** The signature was seen before: a replay, or a request that came back to a node it passed. */
  replayed?: true;
}

export type Verified =
  | {
      ok: true;
      sender: Sender;
      doc: P2pDocument;
      /** The session description beside the signature (a multipart/mixed INVITE, 180 or 200). */
      sdp?: string;
    }
  | TrustRefusal;

/** How a signed message names its sender's credentials. */
export interface CredentialChoice {
  /** Who the certificate memory is kept for (default: the destination's host:port). */
  peerKey?: string;
  /** Send the whole certificate whatever the memory says (it will travel many hops). */
  fullCertificate?: boolean;
}

/**
 * The trust layer's work on every message: what calls (`app/calls`) and overlay transports
 * need, and nothing about how credentials were obtained. Bodies are application/p2p+xml (or
 * multipart/mixed beside an SDP) and MUST follow docs/ARCHITECTURE.md "Signed messages" whatever
 * the mechanism: the wire does not name the mechanism, so the peer on the other end cannot adapt.
 */
export interface MessageTrust {
  /**
   * Sends a signed request and verifies the signed answer (`verified` is undefined when the
   * answer carries no signature at all). MUST repeat the request once with its whole credentials
   * when the peer answers 428. Throws only what `SipStack.sendRequest` throws.
   */
  send(
    stack: SipStack,
    spec: RequestSpec & { destination: Endpoint },
    overlays: OverlayPart[],
    timeoutMs?: number,
  ): Promise<{ response: SipResponse; verified: Verified | undefined }>;

  /** Answers `request` with this peer's signature and credentials. */
  respond(
    request: SipRequest,
    status: number,
    overlays: OverlayPart[],
    reason?: string,
    extra?: CredentialChoice & { sdp?: string; headers?: Array<[string, string]> },
  ): void;

  /** A signed request for the caller to send itself (a call's INVITE, ACK, BYE, re-INVITE). */
  signRequest(
    stack: SipStack,
    spec: RequestSpec,
    overlays: OverlayPart[],
    extra?: CredentialChoice & { sdp?: string },
  ): OutgoingRequest;

  /**
   * Verifies an incoming request. MUST refuse (never throw) a request that is unsigned, forged,
   * replayed, or from someone this network does not vouch for; a NodeID in `claimed` MUST be the
   * sender's.
   */
  verifyRequest(request: SipRequest, claimed?: { nodeId?: string }): Verified;
  verifyResponse(response: SipResponse, claimed?: { nodeId?: string }): Verified;

  /**
   * This node is about to pass a message it verified to itself (a call for a device on this very
   * node): the next verification of this signature is not a replay.
   */
  expectEcho(signatureB64: string): void;
}

/** What this peer asks for credentials with (the fields of peer.json, and the password). */
export interface TrustLogin {
  /**
   * Where credentials and revocation news come from: the login server's SIP URI for
   * 'login-server' (a mechanism spread across peers would take any member's).
   */
  loginServer: string;
  /** sip:alice@example.com, or "alice" when the mechanism can tell the domain. */
  aor: string;
  password: string;
  /** SHA-256 fingerprint of the certificate authority to trust; without it, trust on first use. */
  caFingerprint?: string;
  timeoutMs?: number;
}

/** What the network told this peer when it admitted it (the paper's CertificateIssued, Figure 2). */
export interface Admission {
  /** The AOR the credentials speak for. */
  aor: string;
  /** SHA-256 fingerprint of the certificate authority this peer trusts from now on. */
  caFingerprint: string;
  bootstrap: BootstrapNode[];
  /** Seconds between refreshes, for every layer of this network. */
  refreshRate: number;
  /** The algorithm each switched layer runs now (absent layers run their default). */
  layers: LayerState[];
}

/** A picture of the trust layer on one peer, for the UI, the CLI and the tests (plain data). */
export interface TrustState {
  layer: 'trust';
  algorithm: string;
  /** True once `login()` or `resume()` succeeded. */
  trusted: boolean;
  /** The certificate authority this peer trusts (undefined before credentials). */
  caFingerprint?: string;
  /** Version of the newest revocation list applied; 0 before the first. */
  revocationListVersion: number;
  /** Other peers' certificates checked and remembered (a later message may name them by fingerprint). */
  certificatesKnown: number;
  /** When revocation news last arrived (login or refresh), ms since the epoch; undefined: never. */
  lastRefresh?: number;
}

/**
 * The user trust layer (paper, section 4.1) as the rest of a peer sees it, whatever mechanism
 * runs it: today 'login-server' (a central login server and CA, Figure 2); the paper suggests
 * spreading that work across the peers, which would be another implementation of this.
 *
 * ```
 *               login() fails, resume() false
 *                   ┌──────┐
 *                   ▼      │
 *   factory ──▶ ┌─────────────┐   login() / resume() true    ┌─────────┐ ◀──┐ login() again:
 *               │     no      │ ───────────────────────────▶ │ trusted │ ───┘ new credentials,
 *               │ credentials │                              └─────────┘      fresh memories
 *               └─────────────┘                                 │    ▲
 *     send, respond, sign, verify,                              └────┘ send, respond, signRequest,
 *     refreshRevocations: NoCredentialsError                           verify…, expectEcho,
 *                                                                      refreshRevocations()
 * ```
 *
 * There is no stop(): the mechanism holds no timers or sockets of its own (the peer schedules
 * `refreshRevocations` and owns the SIP stack), so nothing outlives the peer that built it.
 */
export interface TrustLayer extends MessageTrust {
  readonly layer: 'trust';
  readonly algorithm: string;

  /**
   * Obtains new credentials (paper, Figure 2 (b)) and applies any revocation news that came with
   * them. MUST leave this peer's certificate and its CA's in the key store when it resolves: the
   * peer reads its AOR and NodeID from that certificate, whatever mechanism issued it.
   */
  login(request: TrustLogin): Promise<Admission>;
  /** Takes up the credentials kept (in the key store) from an earlier run; false if none or expired. */
  resume(): Promise<boolean>;
  /** Asks `from` for revocation news and applies it; true when something newer was applied. */
  refreshRevocations(from: string): Promise<boolean>;

  state(): TrustState;
}

/** What a trust mechanism is given: dependencies first (STYLE.md example 5). */
export interface TrustComponents {
  stack: SipStack;
  /** This peer's key pair, and where its certificate and CA certificate are kept. */
  keystore: KeyStore;
}

export type TrustFactory = (components: TrustComponents) => TrustLayer;

/** Signing or verifying before `login()` or `resume()` succeeded. */
export class NoCredentialsError extends Error {
  constructor(algorithm: string) {
    super(`The ${algorithm} trust layer has no credentials yet: log in first`);
    this.name = 'NoCredentialsError';
  }
}
