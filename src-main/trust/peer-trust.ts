import { P2P_XML_CONTENT_TYPE, P2pXmlError, parseP2pXml } from '../overlay/xml/index.ts';
import type { OverlayPart, P2pDocument, RevocationList } from '../overlay/xml/index.ts';
import {
  findPart,
  multipartBoundary,
  MultipartError,
  parseMultipart,
  requestParts,
  responseParts,
} from '../sip/index.ts';
import type {
  Endpoint,
  OutgoingRequest,
  RequestSpec,
  SipRequest,
  SipResponse,
  SipStack,
} from '../sip/index.ts';
import {
  CertificateCache,
  CertificateValidator,
  MessageSigner,
  MessageVerifier,
  ReplayGuard,
  RevocationSet,
  systemClock,
} from './signing/index.ts';
import type { Clock, SignedParts } from './signing/index.ts';
import { respondSigned, SDP_CONTENT_TYPE, signedRequest } from './signed-sip.ts';
import type { CredentialChoice, MessageTrust, TrustRefusal, Verified } from './trust-layer.ts';

export interface PeerIdentity {
  privateKeyPem: string;
  certPem: string;
  caCertPem: string;
}

/** Echoes allowed at most: calls proxied to a device on the same node in the last moments. */
const MAX_ECHOES = 256;

/**
 * The user trust layer as each peer runs it (paper, section 4.1): it signs what this peer sends
 * and verifies what it receives, against the login server's CA and its revocation list.
 *
 * The first message to a peer carries the whole certificate, later ones its fingerprint; a peer
 * that answers 428 gets the certificate again (`send` retries once by itself).
 *
 * The message half of the 'login-server' mechanism; `LoginServerTrust` adds how the credentials
 * are obtained and kept fresh. Benchmarks and tests that hold a certificate already use it alone.
 */
export class PeerTrust implements MessageTrust {
  readonly signer: MessageSigner;
  readonly revocations: RevocationSet;
  private readonly verifier: MessageVerifier;
  private readonly certificates = new CertificateCache();
  private readonly echoes = new Set<string>();

  constructor(
    identity: PeerIdentity,
    private readonly clock: Clock = systemClock,
  ) {
    this.signer = new MessageSigner({ identity, clock });
    this.revocations = new RevocationSet({ caCertPem: identity.caCertPem, clock });
    const validator = new CertificateValidator(
      {
        caCertPem: identity.caCertPem,
        revocations: this.revocations,
        clock,
      },
      { cache: this.certificates },
    );
    this.verifier = new MessageVerifier({ validator, replayGuard: new ReplayGuard({ clock }) });
  }

  /** Other peers' certificates checked and remembered by fingerprint. */
  get certificatesKnown(): number {
    return this.certificates.size;
  }

  /** Applies a newer signed revocation list; older or forged ones change nothing. */
  applyRevocationList(list: RevocationList): boolean {
    return this.revocations.apply(list).applied;
  }

  sign = (parts: SignedParts): string => this.signer.sign(parts);

  /** Sends a signed overlay REGISTER (or other request) and verifies the signed answer. */
  async send(
    stack: SipStack,
    spec: RequestSpec & { destination: Endpoint },
    overlays: OverlayPart[],
    /** Per attempt; far below SIP's 32 s so that a dead peer is noticed (default 5 s). */
    timeoutMs = 5000,
  ): Promise<{ response: SipResponse; verified: Verified | undefined }> {
    const peerKey = `${spec.destination.address}:${spec.destination.port}`;
    const attempt = () =>
      stack.sendRequest(
        signedRequest(
          stack,
          spec,
          { overlays, credential: this.signer.credentialsFor(peerKey) },
          this.sign,
          this.clock.now(),
        ),
        spec.destination,
        { timeoutMs },
      );
    let response = await attempt();
    if (response.status === 428) {
      this.signer.peerLostCertificate(peerKey);
      response = await attempt();
    }
    const verified =
      signedBody(response.header('content-type'), response.body) === 'unsigned'
        ? undefined
        : this.verifyResponse(response);
    return { response, verified };
  }

  /** Answers a request with this peer's signature and credentials. */
  respond(
    request: SipRequest,
    status: number,
    overlays: OverlayPart[],
    reason?: string,
    extra: CredentialChoice & { sdp?: string; headers?: Array<[string, string]> } = {},
  ): void {
    const peerKey = extra.peerKey ?? `${request.source.address}:${request.source.port}`;
    respondSigned(request, status, { overlays, credential: this.credential(peerKey, extra) }, this.sign, {
      reason,
      now: this.clock.now(),
      sdp: extra.sdp,
      headers: extra.headers,
    });
  }

  /**
   * A signed request ready for the stack (a call's INVITE, BYE or ACK, which the caller sends
   * itself because it follows the call, not a single transaction). With `sdp`, the body is
   * multipart/mixed.
   */
  signRequest(
    stack: SipStack,
    spec: RequestSpec,
    overlays: OverlayPart[],
    extra: CredentialChoice & { sdp?: string } = {},
  ): OutgoingRequest {
    const peerKey =
      extra.peerKey ?? (spec.destination ? `${spec.destination.address}:${spec.destination.port}` : spec.uri);
    return signedRequest(
      stack,
      spec,
      { overlays, credential: this.credential(peerKey, extra) },
      this.sign,
      this.clock.now(),
      extra.sdp,
    );
  }

  /** The peer answered 428 to a message sent under `peerKey`: the next one carries the certificate. */
  peerLostCertificate(peerKey: string): void {
    this.signer.peerLostCertificate(peerKey);
  }

  private credential(peerKey: string, choice: CredentialChoice) {
    const usual = this.signer.credentialsFor(peerKey);
    return choice.fullCertificate
      ? { kind: 'certificate' as const, certificate: this.signer.certificateBase64 }
      : usual;
  }

  /**
   * This node is about to pass a message it verified to itself (a call for a device on this
   * very node): the second verification may see the same signature once more.
   */
  expectEcho(signatureB64: string): void {
    if (this.echoes.size >= MAX_ECHOES) this.echoes.delete(this.echoes.values().next().value as string);
    this.echoes.add(signatureB64);
  }

  /**
   * Verifies a request's signature and certificate. Its From must be the certificate's AOR, and
   * any NodeID the caller says the body claims must be the certificate's.
   */
  verifyRequest(request: SipRequest, claimed?: { nodeId?: string }): Verified {
    const signed = signedBody(request.header('content-type'), request.body);
    if (signed === 'unsigned') {
      return {
        ok: false,
        status: 428,
        reason: 'Certificate Required: sign the request (application/p2p+xml)',
      };
    }
    const verified = this.verify(signed, () => requestParts(request), claimed);
    // A peer that introduces itself with its whole certificate has (most likely) just started,
    // and has forgotten ours with the rest of its memory: our answer carries ours again. Kept
    // as a reference, a restarted peer could not check the answer (and cannot answer a 428).
    if (verified.ok && verified.doc.credential?.kind === 'certificate') {
      this.signer.peerLostCertificate(`${request.source.address}:${request.source.port}`);
    }
    return verified;
  }

  verifyResponse(response: SipResponse, claimed?: { nodeId?: string }): Verified {
    const signed = signedBody(response.header('content-type'), response.body);
    if (signed === 'unsigned') return { ok: false, status: 403, reason: 'Signature Required' };
    return this.verify(signed, () => responseParts(response), claimed);
  }

  private verify(
    signed: SignedBody | TrustRefusal,
    parts: () => SignedParts,
    claimed?: { nodeId?: string },
  ): Verified {
    if ('ok' in signed) return signed;
    let doc: P2pDocument;
    try {
      doc = parseP2pXml(signed.xml);
    } catch (error) {
      const reason = error instanceof P2pXmlError ? error.reason : 'unreadable body';
      return { ok: false, status: 400, reason: `Malformed P2P Body: ${reason}` };
    }
    if (!doc.signature) return { ok: false, status: 403, reason: 'Signature Required' };
    const repeatAllowed = this.echoes.delete(doc.signature);
    const result = this.verifier.verify({
      parts: parts(),
      signatureB64: doc.signature,
      credential: doc.credential,
      claimed,
      repeatAllowed,
    });
    if (!result.ok) {
      // A bad signature is a refusal, not a digest challenge: 401 would need WWW-Authenticate.
      return {
        ok: false,
        status: result.code === 428 ? 428 : 403,
        reason: result.reason,
        ...(result.problem === 'replayed' ? { replayed: true as const } : {}),
      };
    }
    return {
      ok: true,
      sender: { aor: result.aor, nodeId: result.nodeId, fingerprint: result.fingerprint },
      doc,
      ...(signed.sdp === undefined ? {} : { sdp: signed.sdp }),
    };
  }
}

interface SignedBody {
  /** The application/p2p+xml document holding the envelope Signature. */
  xml: string;
  sdp?: string;
}

/**
 * Where a message's signature is: the whole body (application/p2p+xml), or the p2p+xml part of
 * a multipart/mixed body (an INVITE with its SDP). The signature covers the whole body either
 * way (signedText hashes all of it); this only finds the document to read it from.
 */
function signedBody(contentType: string | undefined, body: string): SignedBody | TrustRefusal | 'unsigned' {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === P2P_XML_CONTENT_TYPE) return { xml: body };
  if (type !== 'multipart/mixed') return 'unsigned';
  try {
    if (multipartBoundary(contentType ?? '') === undefined) return 'unsigned';
    const parts = parseMultipart(contentType ?? '', body);
    const xml = findPart(parts, P2P_XML_CONTENT_TYPE);
    if (!xml) return 'unsigned';
    return { xml: xml.body, sdp: findPart(parts, SDP_CONTENT_TYPE)?.body };
  } catch (error) {
    if (!(error instanceof MultipartError)) throw error;
    return { ok: false, status: 400, reason: error.message };
  }
}
