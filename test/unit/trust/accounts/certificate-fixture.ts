import { createHash } from 'node:crypto';
import type { NewCertificate } from '../../../../src-main/trust/accounts/account-records.ts';

const DAY = 86_400_000;

/**
 * A certificate record as the CA would hand it to the store. The PEM is not a real certificate:
 * the store keeps it as text and never parses it, so a recognisable block is enough here.
 */
export function certificateFor(
  aor: string,
  n: number,
  options: { notBefore?: number; pemBytes?: number } = {},
): NewCertificate {
  const notBefore = options.notBefore ?? 1_700_000_000_000;
  const body = Buffer.alloc(options.pemBytes ?? 48, `${aor}#${n}`).toString('base64');
  return {
    // A leading 1 keeps the serial in canonical form (no leading zero), as the store saves it.
    serial: `1${createHash('md5').update(`serial:${aor}:${n}`).digest('hex').slice(1)}`,
    aor,
    nodeId: createHash('sha1').update(`key:${aor}:${n}`).digest('hex'),
    fingerprint: createHash('sha256').update(`der:${aor}:${n}`).digest('hex'),
    notBefore,
    notAfter: notBefore + 365 * DAY,
    pem: `-----BEGIN CERTIFICATE-----\n${body.replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`,
  };
}
