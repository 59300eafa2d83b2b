/**
 * The PKCS#12 integrity MAC (RFC 7292 §4 and Appendix B), computed here rather than by
 * node-forge.
 *
 * Why not forge: it passes one password string both to the MAC (which RFC 7292 keys from the
 * password as UTF-16, "BMPString") and to PBES2 key encryption (which OpenSSL keys from the
 * password's UTF-8 bytes), and forge feeds PBES2 the raw JS string. Any non-ASCII password
 * ("Grüße") then makes a file OpenSSL cannot decrypt. So we hand forge the UTF-8 bytes for
 * PBES2, tell it to skip the MAC, and compute the MAC ourselves from the real password.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import forge from 'node-forge';
import { CertificateFormatError, WrongPassphraseError } from './keystore-error.ts';

/** MAC digests we read; we write SHA-256, as OpenSSL 3 does. */
const DIGESTS: Record<string, 'sha1' | 'sha256' | 'sha384' | 'sha512'> = {
  [forge.pki.oids.sha1]: 'sha1',
  [forge.pki.oids.sha256]: 'sha256',
  [forge.pki.oids.sha384]: 'sha384',
  [forge.pki.oids.sha512]: 'sha512',
};

const { asn1 } = forge;

/** Appends a SHA-256 MacData to a PFX that forge built with `useMac: false`. */
export function addPkcs12Mac(pfx: forge.asn1.Asn1, password: string, iterations: number): void {
  const salt = randomBytes(16);
  const mac = computeMac('sha256', authenticatedSafe(pfx), password, salt, iterations);
  const sequence = (value: forge.asn1.Asn1[]) =>
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, value);
  const octets = (bytes: Buffer) =>
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytes.toString('binary'));
  const macData = sequence([
    sequence([
      sequence([
        asn1.create(
          asn1.Class.UNIVERSAL,
          asn1.Type.OID,
          false,
          asn1.oidToDer(forge.pki.oids.sha256).getBytes(),
        ),
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''),
      ]),
      octets(mac),
    ]),
    octets(salt),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(iterations).getBytes()),
  ]);
  (pfx.value as forge.asn1.Asn1[]).push(macData);
}

/**
 * Checks the MAC of a parsed PFX. A mismatch means a wrong password (or a damaged file, which
 * the MAC cannot tell apart). Returns whether the file had a MAC at all: without one, only
 * decryption can reveal a wrong password.
 */
export function verifyPkcs12Mac(pfx: forge.asn1.Asn1, password: string): boolean {
  const [, , macData] = pfx.value as forge.asn1.Asn1[];
  if (macData === undefined) return false;
  try {
    const [digestInfo, saltAsn1, iterationsAsn1] = macData.value as forge.asn1.Asn1[];
    const [algorithm, digestAsn1] = digestInfo.value as forge.asn1.Asn1[];
    const oid = asn1.derToOid((algorithm.value as forge.asn1.Asn1[])[0].value as string);
    const digest = DIGESTS[oid];
    if (digest === undefined) throw new Error(`unsupported MAC digest ${oid}`);
    const iterations = iterationsAsn1 ? asn1.derToInteger(iterationsAsn1.value as string) : 1;
    const salt = Buffer.from(saltAsn1.value as string, 'binary');
    const expected = Buffer.from(digestAsn1.value as string, 'binary');
    const actual = computeMac(digest, authenticatedSafe(pfx), password, salt, iterations);
    if (actual.length === expected.length && timingSafeEqual(actual, expected)) return true;
  } catch (error) {
    throw new CertificateFormatError('The PKCS#12 file is damaged: its integrity check cannot be read.', {
      cause: error,
    });
  }
  throw new WrongPassphraseError(
    'The password does not open this PKCS#12 file. Use the password chosen when it was exported.',
  );
}

/** The DER bytes the MAC covers: the AuthenticatedSafe inside the PFX's `data` ContentInfo. */
function authenticatedSafe(pfx: forge.asn1.Asn1): Buffer {
  const contentInfo = (pfx.value as forge.asn1.Asn1[])[1];
  const explicit = (contentInfo.value as forge.asn1.Asn1[])[1];
  const octetString = (explicit.value as forge.asn1.Asn1[])[0];
  return Buffer.from(octetString.value as string, 'binary');
}

function computeMac(
  digest: 'sha1' | 'sha256' | 'sha384' | 'sha512',
  data: Buffer,
  password: string,
  salt: Buffer,
  iterations: number,
): Buffer {
  const md = forge.md[digest].create();
  // RFC 7292 Appendix B.2 key derivation, ID 3 = MAC key; forge encodes the password as BMPString.
  const key = forge.pkcs12.generateKey(
    password,
    new forge.util.ByteStringBuffer(salt.toString('binary')),
    3,
    iterations,
    md.digestLength,
    md,
  );
  return createHmac(digest, Buffer.from(key.getBytes(), 'binary')).update(data).digest();
}
