import { createPrivateKey, sign, X509Certificate, type KeyObject } from 'node:crypto';

import type { Credential } from '../../overlay/xml/index.ts';
import { derFromPem, fingerprintOfDer } from './certificate-encoding.ts';
import type { Clock } from './clock.ts';
import { PeerCertificateMemory, type PeerCertificateMemoryOptions } from './peer-certificate-memory.ts';
import type { SignedParts } from './signed-parts.ts';
import { signedText } from './signed-text.ts';
import { SigningIdentityError } from './signing-errors.ts';

/** A node's identity as the keystore hands it over: its private key and the CA-issued certificate. */
export interface SigningIdentity {
  /** PKCS#8 PEM. */
  privateKeyPem: string;
  certPem: string;
}

export interface MessageSignerDependencies {
  identity: SigningIdentity;
  clock: Clock;
}

/**
 * Signs this node's outgoing requests and responses (ARCHITECTURE.md, Signed messages) and
 * decides, per peer, whether the certificate travels whole or as a fingerprint.
 *
 * The private key is parsed once: parsing PEM costs about as much as a signature.
 */
export class MessageSigner {
  /** SHA-256 of our certificate's DER: the `<CertificateRef>` peers will look us up by. */
  readonly fingerprint: string;
  /** Our certificate as `<Certificate>` carries it: base64 DER. */
  readonly certificateBase64: string;
  readonly #privateKey: KeyObject;
  readonly #peers: PeerCertificateMemory;

  constructor(deps: MessageSignerDependencies, options: PeerCertificateMemoryOptions = {}) {
    const der = derFromPem(deps.identity.certPem);
    if (der === undefined)
      throw new SigningIdentityError('The signing certificate is not one PEM certificate');
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(der);
      this.#privateKey = createPrivateKey(deps.identity.privateKeyPem);
    } catch (error) {
      throw new SigningIdentityError('The signing key or certificate cannot be read', { cause: error });
    }
    if (this.#privateKey.asymmetricKeyType !== 'rsa') {
      throw new SigningIdentityError('The signing key must be RSA (ARCHITECTURE.md: RSA-2048)');
    }
    if (!certificate.checkPrivateKey(this.#privateKey)) {
      throw new SigningIdentityError('The private key does not belong to the certificate');
    }
    this.fingerprint = fingerprintOfDer(der);
    this.certificateBase64 = der.toString('base64');
    this.#peers = new PeerCertificateMemory({ clock: deps.clock }, options);
  }

  /**
   * The base64 RSA-SHA256 signature (PKCS#1 v1.5) over `signedText(parts)`, to put into the
   * body's `<Signature>`. The body may hold `<Signature/>` or any other single Signature element.
   */
  sign(parts: SignedParts): string {
    return sign('sha256', Buffer.from(signedText(parts), 'utf8'), this.#privateKey).toString('base64');
  }

  /**
   * The envelope credential for the next message to a peer, ready for `buildP2pXml`: the whole
   * certificate the first time (and again after the memory period), the fingerprint afterwards.
   *
   * @param peerKey whatever names the peer stably for the caller, e.g. its NodeID or `host:port`
   */
  credentialsFor(peerKey: string): Credential {
    return this.#peers.needsCertificate(peerKey)
      ? { kind: 'certificate', certificate: this.certificateBase64 }
      : { kind: 'certificate-ref', fingerprint: this.fingerprint };
  }

  /** The peer answered 428: send the whole certificate with the next message. */
  peerLostCertificate(peerKey: string): void {
    this.#peers.forget(peerKey);
  }
}
