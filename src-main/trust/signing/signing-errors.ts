/**
 * Named errors of the signing layer.
 *
 * These are thrown for programming and configuration mistakes (a body that cannot be signed, a key
 * that does not match its certificate). A message that fails verification is not an exception:
 * the verifier returns a refusal with a SIP status code and a reason, because refusing bad input
 * from the network is the normal, hot path and must not cost a stack trace.
 */
export class SigningError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The body does not contain exactly one `<Signature>` element (ARCHITECTURE.md, Signed messages). */
export class SignatureElementError extends SigningError {}

/** A field of the signed parts would make the canonical text ambiguous (a line break in a header). */
export class SignedPartsError extends SigningError {}

/** The signing identity is unusable: the private key does not belong to the certificate, or it is not RSA. */
export class SigningIdentityError extends SigningError {}

/** The certificate given as this network's login-server CA is not a usable CA certificate. */
export class CertificateAuthorityError extends SigningError {}
