/**
 * How we write PKCS#12 files. Chosen so that Debian's OpenSSL 3 reads them without `-legacy`
 * (tested in test/unit/keystore): PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC for the key,
 * a SHA-256 MAC, both as OpenSSL 3 itself writes them. The certificates are not encrypted: they
 * are public, and leaving them readable lets tools list a file's contents before asking for a
 * password.
 */

/** PBKDF2 and MAC iterations. OpenSSL 3 writes 2048; 10 000 costs ~80 ms in forge's pure JS. */
export const PKCS12_ITERATIONS = 10_000;

/** node-forge options for `toPkcs12Asn1`; `prfAlgorithm` is read by forge but missing from its types. */
export const FORGE_PKCS12_OPTIONS = {
  algorithm: 'aes256',
  prfAlgorithm: 'sha256',
  count: PKCS12_ITERATIONS,
  saltSize: 16,
  generateLocalKeyId: true,
  // Computed by pkcs12-mac.ts instead; see there why.
  useMac: false,
} as const;
