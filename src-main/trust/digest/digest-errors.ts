/**
 * Named errors of the digest module. Verification of a request never throws on what a remote
 * party sent (it returns a reason instead); these are for our own configuration and for the
 * client helper, whose caller has nothing sensible to send if the server's challenge is unusable.
 */

/** The authenticator was given options it cannot work with (a programming or config mistake). */
export class DigestConfigurationError extends Error {
  override readonly name = 'DigestConfigurationError';
}

/** The server's WWW-Authenticate challenge cannot be answered (malformed, or nothing we support). */
export class DigestChallengeError extends Error {
  override readonly name = 'DigestChallengeError';
}

/** A value we were asked to put into a digest header cannot be carried there. */
export class DigestInputError extends Error {
  override readonly name = 'DigestInputError';
}
