/**
 * The login server's certificate authority: a self-signed certificate and its key.
 *
 * ARCHITECTURE.md, "CA certificate": self-signed, `CN=Chordline CA <domain>`, basicConstraints
 * CA:true, keyUsage keyCertSign+cRLSign.
 */
import forge from 'node-forge';
import { isDomain } from './aor.ts';
import { commonNameAttribute } from './certificate-name.ts';
import { generateKeyPair, privateKeyObject } from './key-pair.ts';
import { KeyStoreError } from './keystore-error.ts';
import { derToPem } from './der-to-pem.ts';
import { randomSerialNumber } from './serial-number.ts';
import { signCertificate } from './sign-certificate.ts';
import { CLOCK_SKEW_MS, wholeSeconds } from './validity.ts';

/** A CA as PEM text. `keyPem` is unencrypted PKCS#8: store it with `encryptPrivateKey`. */
export interface CertificateAuthority {
  certPem: string;
  keyPem: string;
}

export interface CreateCertificateAuthorityOptions {
  /** The SIP domain the login server serves, e.g. `example.com`. */
  domain: string;
  /** Default ten years: replacing a CA means every user signs in again. */
  validityDays?: number;
}

const DEFAULT_CA_VALIDITY_DAYS = 3650;

/** Creates a fresh CA: new key pair (node:crypto), self-signed certificate (node-forge layout). */
export async function createCertificateAuthority(
  options: CreateCertificateAuthorityOptions,
): Promise<CertificateAuthority> {
  const { domain, validityDays = DEFAULT_CA_VALIDITY_DAYS } = options;
  if (!isDomain(domain)) {
    throw new KeyStoreError(`"${domain}" is not a domain name; give the SIP domain, e.g. example.com.`);
  }
  if (!(validityDays > 0)) {
    throw new KeyStoreError(`validityDays must be a positive number of days, not ${validityDays}.`);
  }
  const keys = await generateKeyPair();

  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = randomSerialNumber().derHex;
  const now = wholeSeconds(new Date()).getTime();
  cert.validity.notBefore = new Date(now - CLOCK_SKEW_MS);
  cert.validity.notAfter = new Date(now + validityDays * 86_400_000);
  const name = [commonNameAttribute(`Chordline CA ${domain}`)];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', critical: true, cA: true },
    { name: 'keyUsage', critical: true, keyCertSign: true, cRLSign: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  const der = signCertificate(cert, privateKeyObject(keys.privateKeyPem));
  return { certPem: derToPem(der, 'CERTIFICATE'), keyPem: keys.privateKeyPem };
}
