import type { KeyObject } from 'node:crypto';
import { X509Certificate } from 'node:crypto';
import type { RevocationList } from '../../overlay/xml/index.ts';
import type { AccountStore } from '../accounts/index.ts';
import { signRevocationList } from '../signing/index.ts';

/** How long peers may rely on a list before fetching a new one. */
const NEXT_UPDATE_MS = 3600_000;

/**
 * The login server's signed revocation list. Peers receive it in every CertificateIssued and
 * fetch it with a RevocationListRequest; it is signed once per version (the version changes
 * only when the operator revokes something) and re-signed when its NextUpdate nears.
 */
export class RevocationPublisher {
  private cached: { list: RevocationList; signedAt: number } | undefined;
  private readonly issuer: string;

  constructor(
    private readonly store: AccountStore,
    private readonly ca: { certPem: string; key: KeyObject },
    private readonly now: () => number = Date.now,
  ) {
    this.issuer = new X509Certificate(ca.certPem).subject.replace(/\n/g, ', ');
  }

  current(): RevocationList {
    const version = this.store.revocationVersion();
    const now = this.now();
    if (
      this.cached &&
      this.cached.list.version === version &&
      now - this.cached.signedAt < NEXT_UPDATE_MS / 2
    ) {
      return this.cached.list;
    }
    const list = signRevocationList(
      {
        issuer: this.issuer,
        version,
        issued: new Date(now).toISOString(),
        nextUpdate: new Date(now + NEXT_UPDATE_MS).toISOString(),
        revoked: this.store.revocations().map((r) => ({
          serial: r.serial,
          fingerprint: r.fingerprint,
          revokedAt: new Date(r.revokedAt).toISOString(),
          reason: r.reason,
        })),
      },
      this.ca.key,
    );
    this.cached = { list, signedAt: now };
    return list;
  }
}
