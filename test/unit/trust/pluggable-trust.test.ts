import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PeerNode } from '../../../src-main/app/peer-node.ts';
import {
  createCertificateAuthority,
  fingerprintOf,
  issueCertificate,
} from '../../../src-main/keystore/index.ts';
import type { CertificateAuthority } from '../../../src-main/keystore/index.ts';
import type { OverlayPart } from '../../../src-main/overlay/xml/index.ts';
import type {
  Endpoint,
  RequestSpec,
  SipRequest,
  SipResponse,
  SipStack,
} from '../../../src-main/sip/index.ts';
import { PeerTrust } from '../../../src-main/trust/peer-trust.ts';
import { trustMechanisms } from '../../../src-main/trust/trust-mechanisms.ts';
import { NoCredentialsError } from '../../../src-main/trust/trust-layer.ts';
import type {
  Admission,
  CredentialChoice,
  TrustComponents,
  TrustLayer,
  TrustLogin,
  TrustState,
} from '../../../src-main/trust/trust-layer.ts';
import { tempDirs } from '../../helpers/temp-dir.ts';

/**
 * A second trust mechanism, a fake for this test: the network's CA key was handed to every
 * device beforehand (as an operator might provision desk phones), so a device certifies its own
 * key without asking anyone. No login server exists. Messages are signed exactly as
 * 'login-server' signs them (the contract requires the same wire), so it reuses PeerTrust for
 * that half and counts what PeerNode asks of it.
 */
class ProvisionedTrust implements TrustLayer {
  readonly layer = 'trust' as const;
  readonly algorithm = 'provisioned';
  readonly asked = { login: 0, verifyRequest: 0, respond: 0, send: 0 };
  private trust: PeerTrust | undefined;

  constructor(
    private readonly components: TrustComponents,
    private readonly ca: CertificateAuthority,
  ) {}

  async login(request: TrustLogin): Promise<Admission> {
    this.asked.login++;
    const { keystore } = this.components;
    if (!keystore.hasIdentity()) await keystore.generateIdentity();
    const { privateKeyPem, publicKeyPem } = keystore.identity();
    const issued = issueCertificate({ ca: this.ca, aor: request.aor, publicKeyPem, validitySeconds: 3600 });
    await keystore.saveCertificate(issued.certPem, this.ca.certPem);
    this.trust = new PeerTrust({ privateKeyPem, certPem: issued.certPem, caCertPem: this.ca.certPem });
    return {
      aor: request.aor,
      caFingerprint: fingerprintOf(this.ca.certPem),
      bootstrap: [],
      refreshRate: 60,
      layers: [],
    };
  }

  resume(): Promise<boolean> {
    return Promise.resolve(false);
  }

  /** Nobody publishes revocations in this network. */
  refreshRevocations(): Promise<boolean> {
    return Promise.resolve(false);
  }

  send(
    stack: SipStack,
    spec: RequestSpec & { destination: Endpoint },
    overlays: OverlayPart[],
    timeoutMs?: number,
  ) {
    this.asked.send++;
    return this.held().send(stack, spec, overlays, timeoutMs);
  }

  respond(
    request: SipRequest,
    status: number,
    overlays: OverlayPart[],
    reason?: string,
    extra?: CredentialChoice & { sdp?: string; headers?: Array<[string, string]> },
  ): void {
    this.asked.respond++;
    this.held().respond(request, status, overlays, reason, extra);
  }

  signRequest(
    stack: SipStack,
    spec: RequestSpec,
    overlays: OverlayPart[],
    extra?: CredentialChoice & { sdp?: string },
  ) {
    return this.held().signRequest(stack, spec, overlays, extra);
  }

  verifyRequest(request: SipRequest, claimed?: { nodeId?: string }) {
    this.asked.verifyRequest++;
    return this.held().verifyRequest(request, claimed);
  }

  verifyResponse(response: SipResponse, claimed?: { nodeId?: string }) {
    return this.held().verifyResponse(response, claimed);
  }

  expectEcho(signatureB64: string): void {
    this.held().expectEcho(signatureB64);
  }

  state(): TrustState {
    return {
      layer: 'trust',
      algorithm: this.algorithm,
      trusted: this.trust !== undefined,
      caFingerprint: this.trust && fingerprintOf(this.ca.certPem),
      revocationListVersion: 0,
      certificatesKnown: this.trust?.certificatesKnown ?? 0,
    };
  }

  private held(): PeerTrust {
    if (!this.trust) throw new NoCredentialsError(this.algorithm);
    return this.trust;
  }
}

describe('a peer runs whichever trust mechanism it is given by name', () => {
  const dirs = tempDirs();
  const nodes: PeerNode[] = [];
  let ca: CertificateAuthority;
  beforeAll(async () => {
    ca = await createCertificateAuthority({ domain: 'example.com' });
  });
  afterEach(() => {
    for (const node of nodes.splice(0)) node.stop();
    dirs.cleanup();
  });

  async function provisionedPeer(name: string): Promise<{ node: PeerNode; trust: ProvisionedTrust }> {
    let made: ProvisionedTrust | undefined;
    const registry = trustMechanisms().register('provisioned', (components) => {
      made = new ProvisionedTrust(components, ca);
      return made;
    });
    const node = await PeerNode.open({
      dataDir: dirs.make(`chordline-${name}-`),
      passphrase: 'p',
      trust: 'provisioned',
      trustMechanisms: registry,
    });
    nodes.push(node);
    await node.login({ loginServer: 'sip:nobody@127.0.0.1:9', aor: `sip:${name}@example.com`, password: '' });
    return { node, trust: made! };
  }

  it('Alice and Bob, provisioned with the CA and no login server, greet each other through PeerNode', async () => {
    const alice = await provisionedPeer('alice');
    const bob = await provisionedPeer('bob');

    const greeted = await alice.node.hello(bob.node.uri);

    expect(greeted.ok && greeted.sender.aor).toBe('sip:bob@example.com');
    expect(bob.node.knownPeers.get(alice.node.identity.nodeId)?.aor).toBe('sip:alice@example.com');
    // PeerNode went through the mechanism it was given, and only through it.
    expect(alice.trust.asked).toMatchObject({ login: 1, send: 1 });
    expect(bob.trust.asked).toMatchObject({ login: 1, verifyRequest: 1, respond: 1 });
    expect(bob.node.trustState()).toMatchObject({
      algorithm: 'provisioned',
      trusted: true,
      certificatesKnown: 1,
    });
  });

  it('an unknown mechanism is refused before any socket is opened', async () => {
    await expect(
      PeerNode.open({ dataDir: dirs.make(), passphrase: 'p', trust: 'web-of-trust' }),
    ).rejects.toThrow('No trust mechanism "web-of-trust" (known: login-server)');
  });
});
