import { P2P_XML_CONTENT_TYPE, P2pXmlError, parseP2pXml } from '../overlay/xml/index.ts';
import type { OverlayPart, P2pDocument, RevocationList } from '../overlay/xml/index.ts';
import { requestParts, responseParts } from '../sip/index.ts';
import type { Endpoint, RequestSpec, SipRequest, SipResponse, SipStack } from '../sip/index.ts';
import {
  CertificateValidator,
  MessageSigner,
  MessageVerifier,
  ReplayGuard,
  RevocationSet,
  systemClock,
} from './signing/index.ts';
import type { Clock, SignedParts } from './signing/index.ts';
import { respondSigned, signedRequest } from './signed-sip.ts';

export interface PeerIdentity {
  privateKeyPem: string;
  certPem: string;
  caCertPem: string;
}

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
}

export type Verified = { ok: true; sender: Sender; doc: P2pDocument } | TrustRefusal;

/**
 * The user trust layer as each peer runs it (paper, section 4.1): it signs what this peer sends
 * and verifies what it receives, against the login server's CA and its revocation list.
 *
 * The first message to a peer carries the whole certificate, later ones its fingerprint; a peer
 * that answers 428 gets the certificate again (`send` retries once by itself).
 */
export class PeerTrust {
  readonly signer: MessageSigner;
  readonly revocations: RevocationSet;
  private readonly verifier: MessageVerifier;

  constructor(
    identity: PeerIdentity,
    private readonly clock: Clock = systemClock,
  ) {
    this.signer = new MessageSigner({ identity, clock });
    this.revocations = new RevocationSet({ caCertPem: identity.caCertPem, clock });
    const validator = new CertificateValidator({
      caCertPem: identity.caCertPem,
      revocations: this.revocations,
      clock,
    });
    this.verifier = new MessageVerifier({ validator, replayGuard: new ReplayGuard({ clock }) });
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
      response.contentType === P2P_XML_CONTENT_TYPE ? this.verifyResponse(response) : undefined;
    return { response, verified };
  }

  /** Answers a request with this peer's signature and credentials. */
  respond(request: SipRequest, status: number, overlays: OverlayPart[], reason?: string): void {
    const peerKey = `${request.source.address}:${request.source.port}`;
    respondSigned(request, status, { overlays, credential: this.signer.credentialsFor(peerKey) }, this.sign, {
      reason,
      now: this.clock.now(),
    });
  }

  /**
   * Verifies a request's signature and certificate. Its From must be the certificate's AOR, and
   * any NodeID the caller says the body claims must be the certificate's.
   */
  verifyRequest(request: SipRequest, claimed?: { nodeId?: string }): Verified {
    if (request.contentType !== P2P_XML_CONTENT_TYPE) {
      return {
        ok: false,
        status: 428,
        reason: 'Certificate Required: sign the request (application/p2p+xml)',
      };
    }
    return this.verify(request.body, () => requestParts(request), claimed);
  }

  verifyResponse(response: SipResponse, claimed?: { nodeId?: string }): Verified {
    return this.verify(response.body, () => responseParts(response), claimed);
  }

  private verify(body: string, parts: () => SignedParts, claimed?: { nodeId?: string }): Verified {
    let doc: P2pDocument;
    try {
      doc = parseP2pXml(body);
    } catch (error) {
      const reason = error instanceof P2pXmlError ? error.reason : 'unreadable body';
      return { ok: false, status: 400, reason: `Malformed P2P Body: ${reason}` };
    }
    if (!doc.signature) return { ok: false, status: 403, reason: 'Signature Required' };
    const result = this.verifier.verify({
      parts: parts(),
      signatureB64: doc.signature,
      credential: doc.credential,
      claimed,
    });
    if (!result.ok) {
      // A bad signature is a refusal, not a digest challenge: 401 would need WWW-Authenticate.
      return { ok: false, status: result.code === 428 ? 428 : 403, reason: result.reason };
    }
    return {
      ok: true,
      sender: { aor: result.aor, nodeId: result.nodeId, fingerprint: result.fingerprint },
      doc,
    };
  }
}
