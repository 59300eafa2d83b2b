import { describeCertificate, fingerprintOf } from '../keystore/index.ts';
import type { KeyStore } from '../keystore/index.ts';
import { findMessages, P2P_XML_CONTENT_TYPE, parseP2pXml, TRUST_LOGIN_SERVER } from '../overlay/xml/index.ts';
import type { OverlayPart } from '../overlay/xml/index.ts';
import { requestDestination } from '../sip/index.ts';
import type { Endpoint, RequestSpec, SipRequest, SipResponse, SipStack } from '../sip/index.ts';
import { login } from './login-client.ts';
import { PeerTrust } from './peer-trust.ts';
import { NoCredentialsError } from './trust-layer.ts';
import type {
  Admission,
  CredentialChoice,
  TrustComponents,
  TrustFactory,
  TrustLayer,
  TrustLogin,
  TrustState,
} from './trust-layer.ts';

/** The credentials taken up: the certificate's AOR, and the CA they chain to. */
interface Held {
  trust: PeerTrust;
  aor: string;
  caFingerprint: string;
}

/**
 * The trust layer as the paper builds it (section 4.1, Figure 2): one login server checks the
 * user's password (digest), its CA certifies the peer's key, and it publishes the signed
 * revocation list that every peer fetches. `login-client.ts` speaks to the login server;
 * `PeerTrust` signs and verifies with what it issued.
 */
export class LoginServerTrust implements TrustLayer {
  readonly layer = 'trust' as const;
  readonly algorithm = 'login-server';
  private held: Held | undefined;
  private lastRefresh: number | undefined;

  constructor(
    private readonly stack: SipStack,
    private readonly keystore: KeyStore,
  ) {}

  /**
   * Figure 2 (b): REGISTER a CertificateRequest, answer the digest challenge, check the 200 OK
   * against the CA, keep the certificate; the revocation list in it is applied at once.
   */
  async login(request: TrustLogin): Promise<Admission> {
    const result = await login({ ...request, stack: this.stack, keystore: this.keystore });
    this.takeUp();
    if (result.revocationList) {
      this.require().trust.applyRevocationList(result.revocationList);
      this.lastRefresh = Date.now();
    }
    return {
      aor: result.aor,
      caFingerprint: fingerprintOf(result.caCertPem),
      bootstrap: result.bootstrap,
      refreshRate: result.refreshRate,
      layers: result.layers,
    };
  }

  /** The certificate the key store kept from the last login, if it has not expired. */
  resume(): Promise<boolean> {
    const identity = this.keystore.hasIdentity() ? this.keystore.identity() : undefined;
    if (!identity?.certPem || !identity.caCertPem) return Promise.resolve(false);
    if (describeCertificate(identity.certPem).notAfter.getTime() <= Date.now()) return Promise.resolve(false);
    this.takeUp();
    return Promise.resolve(true);
  }

  /** Fetches the login server's signed revocation list (a RevocationListRequest since our version). */
  async refreshRevocations(loginServer: string): Promise<boolean> {
    const { trust, aor } = this.require();
    const { response } = await trust.send(
      this.stack,
      {
        method: 'REGISTER',
        uri: loginServer,
        from: aor,
        to: aor,
        destination: await requestDestination(loginServer, undefined),
      },
      [
        {
          ...TRUST_LOGIN_SERVER,
          messages: [{ kind: 'RevocationListRequest', since: trust.revocations.version }],
        },
      ],
    );
    if (response.status !== 200 || response.contentType !== P2P_XML_CONTENT_TYPE) return false;
    // The answer is signed by the CA; the list inside carries its own CA signature, which
    // RevocationSet checks before applying it.
    const list = findMessages(parseP2pXml(response.body), 'RevocationList', TRUST_LOGIN_SERVER)[0];
    if (!list) return false;
    this.lastRefresh = Date.now();
    return trust.applyRevocationList(list);
  }

  send(
    stack: SipStack,
    spec: RequestSpec & { destination: Endpoint },
    overlays: OverlayPart[],
    timeoutMs?: number,
  ) {
    return this.require().trust.send(stack, spec, overlays, timeoutMs);
  }

  respond(
    request: SipRequest,
    status: number,
    overlays: OverlayPart[],
    reason?: string,
    extra?: CredentialChoice & { sdp?: string; headers?: Array<[string, string]> },
  ): void {
    this.require().trust.respond(request, status, overlays, reason, extra);
  }

  signRequest(
    stack: SipStack,
    spec: RequestSpec,
    overlays: OverlayPart[],
    extra?: CredentialChoice & { sdp?: string },
  ) {
    return this.require().trust.signRequest(stack, spec, overlays, extra);
  }

  verifyRequest(request: SipRequest, claimed?: { nodeId?: string }) {
    return this.require().trust.verifyRequest(request, claimed);
  }

  verifyResponse(response: SipResponse, claimed?: { nodeId?: string }) {
    return this.require().trust.verifyResponse(response, claimed);
  }

  expectEcho(signatureB64: string): void {
    this.require().trust.expectEcho(signatureB64);
  }

  state(): TrustState {
    const held = this.held;
    return {
      layer: this.layer,
      algorithm: this.algorithm,
      trusted: held !== undefined,
      caFingerprint: held?.caFingerprint,
      revocationListVersion: held?.trust.revocations.version ?? 0,
      certificatesKnown: held?.trust.certificatesKnown ?? 0,
      lastRefresh: this.lastRefresh,
    };
  }

  /** Signs and verifies with the key store's key and certificate from now on (fresh memories). */
  private takeUp(): void {
    const identity = this.keystore.identity();
    if (!identity.certPem || !identity.caCertPem) throw new NoCredentialsError(this.algorithm);
    this.held = {
      trust: new PeerTrust({
        privateKeyPem: identity.privateKeyPem,
        certPem: identity.certPem,
        caCertPem: identity.caCertPem,
      }),
      aor: describeCertificate(identity.certPem).aor,
      caFingerprint: fingerprintOf(identity.caCertPem),
    };
  }

  private require(): Held {
    if (!this.held) throw new NoCredentialsError(this.algorithm);
    return this.held;
  }
}

/** The factory the trust registry holds for 'login-server'. */
export function loginServerTrust(): TrustFactory {
  return (components: TrustComponents) => new LoginServerTrust(components.stack, components.keystore);
}
