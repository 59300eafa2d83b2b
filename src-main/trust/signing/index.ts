/**
 * Message signatures, certificate validation and revocation for the user trust layer
 * (ARCHITECTURE.md, Signed messages). sip/ extracts `SignedParts` from a message; this folder
 * never sees sip.js.
 */
export { CertificateCache, type CertifiedIdentity } from './certificate-cache.ts';
export {
  bytesFromBase64,
  derFromPem,
  fingerprintOfDer,
  normalizeFingerprint,
  normalizeSerial,
  pemFromDer,
} from './certificate-encoding.ts';
export {
  CertificateValidator,
  type CertificateCheck,
  type CertificateProblem,
  type CertificateRefusal,
  type CertificateValidatorDependencies,
  type CertificateValidatorOptions,
  type UnknownCertificateRef,
} from './certificate-validator.ts';
export { systemClock, type Clock } from './clock.ts';
export { EMPTY_SIGNATURE_ELEMENT, emptySignatureElement } from './empty-signature-element.ts';
export { MessageSigner, type MessageSignerDependencies, type SigningIdentity } from './message-signer.ts';
export {
  MessageVerifier,
  type MessageVerifierDependencies,
  type Verification,
  type VerificationProblem,
  type VerificationRefusal,
  type VerifyInput,
} from './message-verifier.ts';
export { PeerCertificateMemory, type PeerCertificateMemoryOptions } from './peer-certificate-memory.ts';
export {
  ReplayGuard,
  type ReplayGuardDependencies,
  type ReplayGuardOptions,
  type ReplayProblem,
  type ReplayRefusal,
} from './replay-guard.ts';
export { signRevocationList, verifyRevocationList, type UnsignedRevocationList } from './revocation-list.ts';
export { RevocationSet, type RevocationApply, type RevocationSetDependencies } from './revocation-set.ts';
export { noRevocations, revocationReasonInWords, type RevocationSource } from './revocation-source.ts';
export { formatRfc1123Date, parseRfc1123Date } from './rfc1123-date.ts';
export type { SignedParts, SignedStartLine } from './signed-parts.ts';
export { bodySha256, signedText } from './signed-text.ts';
export {
  CertificateAuthorityError,
  SignatureElementError,
  SignedPartsError,
  SigningError,
  SigningIdentityError,
} from './signing-errors.ts';
export {
  certificateNamesOf,
  comparableAor,
  parseSubjectAltNames,
  type CertificateNames,
} from './subject-alt-names.ts';
