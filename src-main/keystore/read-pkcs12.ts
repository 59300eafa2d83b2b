/**
 * Reads a PKCS#12 file back into PEM text: ours, and those OpenSSL 3 writes by default.
 */
import { createPrivateKey } from 'node:crypto';
import forge from 'node-forge';
import { publicKeyObject, keysMatch } from './key-pair.ts';
import { CertificateFormatError, KeyMismatchError, WrongPassphraseError } from './keystore-error.ts';
import { derToPem } from './der-to-pem.ts';
import { verifyPkcs12Mac } from './pkcs12-mac.ts';

export interface Pkcs12Contents {
  /** PKCS#8, unencrypted. */
  privateKeyPem: string;
  /** The certificate that belongs to the private key. */
  certPem: string;
  /** Every other certificate in the file (for us: the CA certificate). */
  chainPems: string[];
}

const { oids } = forge.pki;

/**
 * Opens `p12` with `password`. A wrong password is a `WrongPassphraseError`; a file without
 * exactly one private key, or whose key has no certificate, is refused.
 */
export function readPkcs12(p12: Uint8Array, password: string): Pkcs12Contents {
  let pfx: forge.asn1.Asn1;
  try {
    pfx = forge.asn1.fromDer(Buffer.from(p12).toString('binary'));
  } catch (error) {
    throw new CertificateFormatError('The file is not a PKCS#12 (.p12 / .pfx) file.', { cause: error });
  }
  const hadMac = verifyPkcs12Mac(pfx, password);
  const bags = decryptBags(pfx, password, hadMac);

  const keys = bags.filter((bag) => bag.type === oids.pkcs8ShroudedKeyBag || bag.type === oids.keyBag);
  if (keys.length !== 1) {
    throw new CertificateFormatError(
      `The PKCS#12 file holds ${keys.length} private keys; Chordline imports files with exactly one identity.`,
    );
  }
  const privateKeyPem = keyPem(keys[0]);
  const privateKey = createPrivateKey(privateKeyPem);
  const certPems = bags.filter((bag) => bag.type === oids.certBag).map(certificatePem);
  const own = certPems.findIndex((pem) => keysMatch(privateKey, publicKeyObject(pem)));
  if (own < 0) {
    throw new KeyMismatchError(
      'The PKCS#12 file has no certificate for its private key, so it is not a usable identity. ' +
        'Export it again from the computer that has the identity.',
    );
  }
  return { privateKeyPem, certPem: certPems[own], chainPems: certPems.filter((_, index) => index !== own) };
}

/**
 * Decrypts the safe contents. Encrypted parts may be keyed from the password's UTF-8 bytes
 * (PBES2: ours, OpenSSL 3's) or from the password as such (the older PKCS#12 PBE schemes, which
 * forge encodes itself); for an ASCII password the two are the same and only one attempt runs.
 * The MAC, already checked, is dropped so that forge does not check it with the wrong encoding.
 */
function decryptBags(pfx: forge.asn1.Asn1, password: string, hadMac: boolean): forge.pkcs12.Bag[] {
  const withoutMac = forge.asn1.create(
    forge.asn1.Class.UNIVERSAL,
    forge.asn1.Type.SEQUENCE,
    true,
    (pfx.value as forge.asn1.Asn1[]).slice(0, 2),
  );
  const candidates = [...new Set([forge.util.encodeUtf8(password), password])];
  let lastError: unknown;
  for (const candidate of candidates) {
    try {
      const parsed = forge.pkcs12.pkcs12FromAsn1(withoutMac, false, candidate);
      return parsed.safeContents.flatMap((contents) => contents.safeBags);
    } catch (error) {
      lastError = error;
    }
  }
  if (!hadMac) {
    throw new WrongPassphraseError('The password does not open this PKCS#12 file.', { cause: lastError });
  }
  throw new CertificateFormatError(
    'The PKCS#12 file cannot be decrypted although its password is right; it may use an encryption ' +
      'Chordline does not support. Export it again with AES-256 (OpenSSL 3 default).',
    { cause: lastError },
  );
}

function keyPem(bag: forge.pkcs12.Bag): string {
  // forge parses RSA keys and leaves others as ASN.1 PrivateKeyInfo; OpenSSL normalises both.
  const der = bag.key
    ? forge.asn1.toDer(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key))).getBytes()
    : bag.asn1
      ? forge.asn1.toDer(bag.asn1).getBytes()
      : undefined;
  if (der === undefined)
    throw new CertificateFormatError('The PKCS#12 file has a private key that cannot be read.');
  return createPrivateKey({ key: Buffer.from(der, 'binary'), format: 'der', type: 'pkcs8' })
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();
}

function certificatePem(bag: forge.pkcs12.Bag): string {
  const certificate = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1;
  if (!certificate)
    throw new CertificateFormatError('The PKCS#12 file has a certificate that cannot be read.');
  return derToPem(Buffer.from(forge.asn1.toDer(certificate).getBytes(), 'binary'), 'CERTIFICATE');
}
