/**
 * Named errors of the keystore. Every message says what went wrong and what the person can do
 * about it, because these reach the user (the first-run wizard, `chordline` CLI) almost verbatim.
 * Callers branch on the class, never on the message.
 */

/** Base class: anything the keystore refuses or cannot do. */
export class KeyStoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The passphrase (or PKCS#12 password) does not open the key or file. */
export class WrongPassphraseError extends KeyStoreError {}

/** A certificate, PEM or PKCS#12 file is malformed or is not a Chordline user certificate. */
export class CertificateFormatError extends KeyStoreError {}

/** A certificate was not issued by the CA certificate it came with. */
export class CertificateChainError extends KeyStoreError {}

/** A certificate and a private key that should belong together do not. */
export class KeyMismatchError extends KeyStoreError {}

/** A string that should be an address of record (`sip:alice@example.com`) is not one. */
export class InvalidAorError extends KeyStoreError {}

/** The operation needs an identity (a private key) and the data folder has none yet. */
export class NoIdentityError extends KeyStoreError {}

/** The operation needs a certificate and the identity has none yet. */
export class NoCertificateError extends KeyStoreError {}

/** The data folder already holds an identity, and replacing it would change the NodeID. */
export class IdentityExistsError extends KeyStoreError {}
