import { createHash, X509Certificate } from 'node:crypto';

import { CertificateCache, type CertifiedIdentity } from './certificate-cache.ts';
import {
  bytesFromBase64,
  derFromPem,
  fingerprintOfDer,
  normalizeFingerprint,
  normalizeSerial,
} from './certificate-encoding.ts';
import type { Clock } from './clock.ts';
import { revocationReasonInWords, type RevocationSource } from './revocation-source.ts';
import { CertificateAuthorityError } from './signing-errors.ts';
import { certificateNamesOf } from './subject-alt-names.ts';

/** Why a certificate is refused; stable tokens for code and tests, `reason` is for people. */
export type CertificateProblem =
  | 'unreadable'
  | 'not-our-ca'
  | 'wrong-domain'
  | 'not-a-user-certificate'
  | 'weak-key'
  | 'bad-names'
  | 'node-id-mismatch'
  | 'not-yet-valid'
  | 'expired'
  | 'ca-expired'
  | 'revoked';

export interface CertificateRefusal {
  ok: false;
  code: 403;
  problem: CertificateProblem;
  reason: string;
}

export interface UnknownCertificateRef {
  ok: false;
  code: 428;
  problem: 'unknown-certificate';
  reason: string;
}

export type CertificateCheck = ({ ok: true } & CertifiedIdentity) | CertificateRefusal;

export interface CertificateValidatorDependencies {
  /** The login server's CA certificate: the one issuer this network trusts. */
  caCertPem: string;
  revocations: RevocationSource;
  clock: Clock;
}

export interface CertificateValidatorOptions {
  /** Clock difference forgiven at both ends of a validity period. Default 60 s. */
  skewSeconds?: number;
  /** Cache to share (e.g. with a second validator after a CA roll-over); default a new one. */
  cache?: CertificateCache;
}

const MIN_RSA_BITS = 2048;
const CA_SUBJECT = /^CN=Chordline CA (\S+)$/m;

/**
 * Decides whether a certificate speaks for an AOR and a NodeID in this network.
 *
 * The expensive, unchanging checks (parse, chain, names, NodeID) run once per fingerprint; the
 * cheap, changing ones (validity period, revocation) run on every call. The REGISTER load goal
 * is ≥1000 verified requests/s on one core, and parsing plus chain verification alone cost
 * ~150 µs, so a peer re-sending its certificate must not pay them again.
 */
export class CertificateValidator {
  readonly #ca: X509Certificate;
  readonly #caNotBefore: number;
  readonly #caNotAfter: number;
  /** The domain in `CN=Chordline CA <domain>`, when the CA follows ARCHITECTURE.md's format. */
  readonly #caDomain: string | undefined;
  readonly #revocations: RevocationSource;
  readonly #clock: Clock;
  readonly #skewMs: number;
  readonly #cache: CertificateCache;

  constructor(deps: CertificateValidatorDependencies, options: CertificateValidatorOptions = {}) {
    try {
      this.#ca = new X509Certificate(deps.caCertPem);
    } catch (error) {
      throw new CertificateAuthorityError('The CA certificate cannot be read', { cause: error });
    }
    if (!this.#ca.ca) {
      throw new CertificateAuthorityError(
        `"${this.#ca.subject}" is not a CA certificate (basicConstraints CA:false)`,
      );
    }
    this.#caNotBefore = Date.parse(this.#ca.validFrom);
    this.#caNotAfter = Date.parse(this.#ca.validTo);
    this.#caDomain = CA_SUBJECT.exec(this.#ca.subject)?.[1].toLowerCase();
    this.#revocations = deps.revocations;
    this.#clock = deps.clock;
    this.#skewMs = (options.skewSeconds ?? 60) * 1000;
    this.#cache = options.cache ?? new CertificateCache();
  }

  /** Fingerprint of the CA certificate this validator trusts. */
  get caFingerprint(): string {
    return fingerprintOfDer(this.#ca.raw);
  }

  /** Checks a certificate given as PEM. */
  validate(certPem: string): CertificateCheck {
    const der = derFromPem(certPem);
    return der === undefined ? unreadable() : this.validateDer(der);
  }

  /** Checks a certificate given as the content of a `<Certificate>` element (base64 DER). */
  validateBase64Der(base64: string): CertificateCheck {
    const der = bytesFromBase64(base64);
    return der === undefined ? unreadable() : this.validateDer(der);
  }

  /** Checks a certificate given as DER bytes. */
  validateDer(der: Uint8Array): CertificateCheck {
    const fingerprint = fingerprintOfDer(der);
    let identity = this.#cache.get(fingerprint);
    if (identity === undefined) {
      const proven = this.#prove(der, fingerprint);
      if (!proven.ok) return proven;
      identity = proven.identity;
      this.#cache.remember(identity);
    }
    return this.#checkNow(identity);
  }

  /**
   * Checks a certificate named by a `<CertificateRef>`. A fingerprint we have never validated is
   * not an error of the sender's identity, just of our memory: 428 asks the sender to repeat the
   * message with the whole certificate (ARCHITECTURE.md, Signed messages).
   */
  validateRef(ref: string): CertificateCheck | UnknownCertificateRef {
    const fingerprint = normalizeFingerprint(ref);
    const identity = fingerprint === undefined ? undefined : this.#cache.get(fingerprint);
    if (identity === undefined) {
      return {
        ok: false,
        code: 428,
        problem: 'unknown-certificate',
        reason: 'Certificate unknown here, send it again',
      };
    }
    return this.#checkNow(identity);
  }

  /** The checks that hold forever once they pass. */
  #prove(
    der: Uint8Array,
    fingerprint: string,
  ): { ok: true; identity: CertifiedIdentity } | CertificateRefusal {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(der);
    } catch {
      return unreadable();
    }
    // OpenSSL tolerates bytes after the certificate; two encodings of one certificate would have
    // two fingerprints and one could dodge a revocation by fingerprint.
    if (!Buffer.from(der).equals(cert.raw)) return unreadable();
    if (!cert.checkIssued(this.#ca) || !cert.verify(this.#ca.publicKey)) {
      return refuse('not-our-ca', "Not signed by this network's login server");
    }
    if (cert.ca) {
      return refuse('not-a-user-certificate', 'This is a CA certificate, not a user certificate');
    }
    const publicKey = cert.publicKey;
    const modulusLength = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
    if (publicKey.asymmetricKeyType !== 'rsa' || modulusLength < MIN_RSA_BITS) {
      return refuse('weak-key', `Certificate key must be RSA of at least ${MIN_RSA_BITS} bits`);
    }
    const names = certificateNamesOf(cert.subjectAltName);
    if (names === undefined) {
      return refuse('bad-names', 'Certificate must name exactly one sip: address and one NodeID');
    }
    const domain = names.aor.slice(names.aor.indexOf('@') + 1);
    if (this.#caDomain !== undefined && domain !== this.#caDomain) {
      return refuse('wrong-domain', `Certificate is for ${domain}, this network is ${this.#caDomain}`);
    }
    // ARCHITECTURE.md: "NodeID — SHA-1 over the DER SubjectPublicKeyInfo … nobody chooses their
    // place in the ring". A certificate naming another NodeID would let its holder pick one.
    const ownNodeId = createHash('sha1')
      .update(publicKey.export({ type: 'spki', format: 'der' }))
      .digest('hex');
    if (ownNodeId !== names.nodeId) {
      return refuse('node-id-mismatch', "NodeID does not match the certificate's key");
    }
    return {
      ok: true,
      identity: {
        aor: names.aor,
        nodeId: names.nodeId,
        fingerprint,
        serial: normalizeSerial(cert.serialNumber),
        publicKey,
        notBefore: new Date(Date.parse(cert.validFrom)),
        notAfter: new Date(Date.parse(cert.validTo)),
      },
    };
  }

  /** The checks that change with time and with the newest revocation list. */
  #checkNow(identity: CertifiedIdentity): CertificateCheck {
    const now = this.#clock.now();
    if (now > this.#caNotAfter + this.#skewMs) {
      return refuse(
        'ca-expired',
        `This network's login server certificate expired on ${isoSeconds(this.#caNotAfter)}`,
      );
    }
    if (now < this.#caNotBefore - this.#skewMs || now < identity.notBefore.getTime() - this.#skewMs) {
      return refuse(
        'not-yet-valid',
        `Certificate not valid before ${isoSeconds(Math.max(identity.notBefore.getTime(), this.#caNotBefore))} (clock wrong?)`,
      );
    }
    if (now > identity.notAfter.getTime() + this.#skewMs) {
      return refuse('expired', `Certificate expired on ${isoSeconds(identity.notAfter.getTime())}`);
    }
    const revocation = this.#revocations.revocationOf(identity.serial, identity.fingerprint);
    if (revocation !== undefined) {
      return refuse(
        'revoked',
        `Certificate revoked on ${revocation.revokedAt} (${revocationReasonInWords(revocation.reason)})`,
      );
    }
    return { ok: true, ...identity };
  }
}

function refuse(problem: CertificateProblem, reason: string): CertificateRefusal {
  return { ok: false, code: 403, problem, reason };
}

function unreadable(): CertificateRefusal {
  return refuse('unreadable', 'Certificate cannot be read (expected one X.509 certificate)');
}

/** `2026-05-01T12:00:00Z`: what a person compares with their own clock. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
