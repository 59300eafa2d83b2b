/** Digest authentication (RFC 3261 §22, RFC 7616, RFC 8760): the server side and a client helper. */
export { DigestAuthenticator } from './digest-authenticator.ts';
export type { DigestAuthenticatorOptions } from './digest-authenticator-options.ts';
export type {
  DigestFailureReason,
  DigestVerification,
  Ha1Lookup,
  VerifyRequest,
} from './digest-verification.ts';
export { DIGEST_ALGORITHMS, parseDigestAlgorithm, type DigestAlgorithm } from './digest-algorithm.ts';
export { ha1 } from './ha1.ts';
export { computeResponse, type ResponseInput } from './compute-response.ts';
export {
  parseAuthorization,
  type AuthorizationParse,
  type DigestCredentials,
} from './parse-authorization.ts';
export {
  parseDigestParams,
  MAX_DIGEST_HEADER_LENGTH,
  type DigestParamsParse,
} from './parse-digest-params.ts';
export { digestResponse, type DigestResponseInput } from './digest-client.ts';
export { DigestChallengeError, DigestConfigurationError, DigestInputError } from './digest-errors.ts';
