import { X509Certificate, type KeyObject } from 'node:crypto';

import type { RevocationList, RevokedCertificate } from '../../overlay/xml/index.ts';
import { normalizeSerial } from './certificate-encoding.ts';
import type { Clock } from './clock.ts';
import { verifyRevocationList } from './revocation-list.ts';
import type { RevocationSource } from './revocation-source.ts';
import { CertificateAuthorityError } from './signing-errors.ts';

export type RevocationApply =
  | { applied: true; version: number }
  | { applied: false; problem: 'other-issuer' | 'forged' | 'not-newer'; reason: string };

export interface RevocationSetDependencies {
  /** The login server's CA certificate: only lists signed by its key are applied. */
  caCertPem: string;
  clock: Clock;
}

/**
 * The revocations this peer currently believes in: the newest genuine list it has seen.
 *
 * Lists reach a peer from the login server or, passed on, from other peers (docs/p2p.xsd: a
 * RevocationList may ride in any trust-layer part); a relay may be hostile or merely late. So a
 * list is applied only if the CA signed it (a forged list could un-revoke a stolen key) and only
 * if its version is newer than ours (a replayed old list could do the same). Each list is
 * complete, so applying one replaces the previous.
 */
export class RevocationSet implements RevocationSource {
  readonly #caPublicKey: KeyObject;
  /** As the codec's RevocationList names its issuer: the CA subject, `CN=Chordline CA <domain>`. */
  readonly #caSubject: string;
  readonly #clock: Clock;
  #version = 0;
  #nextUpdate: number | undefined;
  #bySerial = new Map<string, RevokedCertificate>();
  #byFingerprint = new Map<string, RevokedCertificate>();

  constructor(deps: RevocationSetDependencies) {
    let ca: X509Certificate;
    try {
      ca = new X509Certificate(deps.caCertPem);
    } catch (error) {
      throw new CertificateAuthorityError('The CA certificate cannot be read', { cause: error });
    }
    this.#caPublicKey = ca.publicKey;
    this.#caSubject = ca.subject;
    this.#clock = deps.clock;
  }

  /** Version of the list applied, 0 before the first; what a RevocationListRequest would compare. */
  get version(): number {
    return this.#version;
  }

  /** Certificates currently revoked. */
  get size(): number {
    return this.#byFingerprint.size;
  }

  /** True before the first list and once the applied list is past its nextUpdate: time to ask for one. */
  isStale(): boolean {
    return this.#nextUpdate === undefined || this.#clock.now() > this.#nextUpdate;
  }

  /** Applies a list if our CA signed it and it is newer than the one we hold. */
  apply(list: RevocationList): RevocationApply {
    if (list.issuer !== this.#caSubject) {
      return {
        applied: false,
        problem: 'other-issuer',
        reason: `Revocation list is from "${list.issuer}", not this network's login server`,
      };
    }
    if (!verifyRevocationList(list, this.#caPublicKey)) {
      return { applied: false, problem: 'forged', reason: 'Revocation list signature does not match' };
    }
    if (list.version <= this.#version) {
      return {
        applied: false,
        problem: 'not-newer',
        reason: `Revocation list version ${list.version} is not newer than ${this.#version}`,
      };
    }
    const bySerial = new Map<string, RevokedCertificate>();
    const byFingerprint = new Map<string, RevokedCertificate>();
    for (const entry of list.revoked) {
      bySerial.set(normalizeSerial(entry.serial), entry);
      byFingerprint.set(entry.fingerprint, entry);
    }
    this.#bySerial = bySerial;
    this.#byFingerprint = byFingerprint;
    this.#version = list.version;
    this.#nextUpdate = Date.parse(list.nextUpdate);
    return { applied: true, version: list.version };
  }

  revocationOf(serial: string, fingerprint: string): RevokedCertificate | undefined {
    return this.#byFingerprint.get(fingerprint) ?? this.#bySerial.get(normalizeSerial(serial));
  }
}
