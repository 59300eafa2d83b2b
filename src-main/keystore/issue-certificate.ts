/**
 * Issues a user certificate: the login server's answer to a successful sign-in.
 *
 * ARCHITECTURE.md, "certificate": X.509 v3 signed SHA-256/RSA by the CA; subject
 * `CN=<user>@<domain>`; subjectAltName `URI:sip:<user>@<domain>` and
 * `URI:urn:chordline:node:<NodeID>`; keyUsage digitalSignature; random 128-bit serial.
 *
 * The NodeID is computed here from the public key, never taken from the caller: the paper's
 * identity layer relies on nobody choosing their place in the ring.
 */
import forge from 'node-forge';
import { parseAor } from './aor.ts';
import { caSignerFor } from './ca-signer.ts';
import type { CertificateAuthority } from './certificate-authority.ts';
import { commonNameAttribute } from './certificate-name.ts';
import { fingerprintOfDer } from './fingerprint.ts';
import { KEY_ALGORITHM } from './key-algorithm.ts';
import { KeyStoreError } from './keystore-error.ts';
import { nodeIdOfSpki, nodeIdUri } from './node-id.ts';
import { derToPem } from './der-to-pem.ts';
import { randomSerialNumber } from './serial-number.ts';
import { signCertificate } from './sign-certificate.ts';
import { CLOCK_SKEW_MS, wholeSeconds } from './validity.ts';

export interface IssueCertificateOptions {
  ca: CertificateAuthority;
  /** `sip:alice@example.com` */
  aor: string;
  /** The user's public key (SPKI PEM), from their key store. */
  publicKeyPem: string;
  validitySeconds: number;
  /** Default: a minute ago (clock skew); the lifetime then still counts from now. */
  notBefore?: Date;
}

export interface IssuedCertificate {
  certPem: string;
  /** 32 lowercase hex digits. */
  serial: string;
  nodeId: string;
  fingerprint: string;
  notBefore: Date;
  notAfter: Date;
}

/** Issues a certificate for `aor` and `publicKeyPem`, signed by `ca`. */
export function issueCertificate(options: IssueCertificateOptions): IssuedCertificate {
  const { ca, validitySeconds } = options;
  if (!(validitySeconds > 0)) {
    throw new KeyStoreError(`validitySeconds must be a positive number, not ${validitySeconds}.`);
  }
  const aor = parseAor(options.aor);
  const signer = caSignerFor(ca);
  const publicKey = forgePublicKey(options.publicKeyPem);
  // Hashing forge's DER of the key rather than asking OpenSSL saves a PEM decode that costs as
  // much as the signature, and it is by construction the SPKI that goes into the certificate.
  const nodeId = nodeIdOfSpki(
    Buffer.from(forge.asn1.toDer(forge.pki.publicKeyToAsn1(publicKey)).getBytes(), 'binary'),
  );
  const serial = randomSerialNumber();

  const start = wholeSeconds(options.notBefore ?? new Date());
  const notBefore = options.notBefore ? start : new Date(start.getTime() - CLOCK_SKEW_MS);
  const notAfter = new Date(start.getTime() + validitySeconds * 1000);

  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serial.derHex;
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject([commonNameAttribute(aor.commonName)]);
  cert.setIssuer(signer.subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', critical: true, digitalSignature: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 6 /* uniformResourceIdentifier */, value: aor.uri },
        { type: 6, value: nodeIdUri(nodeId) },
      ],
    },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: signer.keyIdentifier },
  ]);
  const der = signCertificate(cert, signer.privateKey);

  return {
    certPem: derToPem(der, 'CERTIFICATE'),
    serial: serial.hex,
    nodeId,
    fingerprint: fingerprintOfDer(der),
    notBefore,
    notAfter,
  };
}

function forgePublicKey(publicKeyPem: string): forge.pki.rsa.PublicKey {
  try {
    return forge.pki.publicKeyFromPem(publicKeyPem);
  } catch (error) {
    throw new KeyStoreError(
      `The public key is not a readable ${KEY_ALGORITHM.name} key (SPKI PEM); Chordline certificates need one.`,
      { cause: error },
    );
  }
}
