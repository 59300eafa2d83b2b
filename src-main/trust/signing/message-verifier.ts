import { verify as verifySignature } from 'node:crypto';

import type { Credential } from '../../overlay/xml/index.ts';
import type {
  CertificateCheck,
  CertificateProblem,
  CertificateValidator,
  UnknownCertificateRef,
} from './certificate-validator.ts';
import { bytesFromBase64 } from './certificate-encoding.ts';
import type { ReplayGuard, ReplayProblem } from './replay-guard.ts';
import type { SignedParts } from './signed-parts.ts';
import { signedText } from './signed-text.ts';
import { SigningError } from './signing-errors.ts';
import { comparableAor } from './subject-alt-names.ts';

/**
 * A received message: its signed parts, its envelope signature and credential. Give the sender's
 * certificate in one of the four ways; a whole certificate wins over a reference.
 */
export interface VerifyInput {
  parts: SignedParts;
  /** Content of `<Signature>`: base64. */
  signatureB64: string;
  /** The envelope credential as `parseP2pXml` returns it. */
  credential?: Credential;
  /** The sender's certificate as PEM. */
  certificatePem?: string;
  /** The sender's certificate as `<Certificate>` carries it: base64 DER. */
  certificate?: string;
  /** Content of `<CertificateRef>`: the fingerprint of a certificate sent earlier. */
  certificateRef?: string;
  /** What the message body claims about its sender, e.g. a Join's NodeID; each must match the certificate. */
  claimed?: { aor?: string; nodeId?: string };
  /**
   * This node already verified this very message once and passed it to itself (a call proxied
   * to a device on the same node): skip the replay check this one time.
   */
  repeatAllowed?: boolean;
}

export type VerificationProblem =
  | CertificateProblem
  | ReplayProblem
  | 'unknown-certificate'
  | 'no-certificate'
  | 'unsignable'
  | 'bad-signature'
  | 'from-mismatch'
  | 'aor-mismatch'
  | 'node-id-claim-mismatch';

export interface VerificationRefusal {
  ok: false;
  code: 401 | 403 | 428;
  problem: VerificationProblem;
  reason: string;
}

export type Verification =
  { ok: true; aor: string; nodeId: string; fingerprint: string } | VerificationRefusal;

export interface MessageVerifierDependencies {
  validator: CertificateValidator;
  replayGuard: ReplayGuard;
}

/**
 * Decides whether a signed message comes from whom it says, now, for the first time.
 *
 * Status codes (sip/ turns them into responses):
 * - 401 the signature itself fails: missing, unreadable, or not over this message. Re-signing
 *   would help, so the sender is told to authenticate.
 * - 403 the signature is good but the sender or the moment is refused: certificate expired,
 *   revoked or not from our CA; From or a claimed NodeID is not the certificate's; replayed or
 *   stale. Repeating the same request will not help.
 * - 428 we do not know the `<CertificateRef>`: repeat with the whole certificate.
 *
 * Order matters for what a person is told: the certificate comes first (no key, nothing to
 * check), then the signature (a forged message is "Signature does not match" whatever else is
 * wrong with it), then Date, identity and replay.
 */
export class MessageVerifier {
  readonly #validator: CertificateValidator;
  readonly #replayGuard: ReplayGuard;

  constructor(deps: MessageVerifierDependencies) {
    this.#validator = deps.validator;
    this.#replayGuard = deps.replayGuard;
  }

  verify(input: VerifyInput): Verification {
    const certificate = this.#certificateOf(input);
    if (!certificate.ok) return certificate;

    const signature = bytesFromBase64(input.signatureB64);
    if (signature === undefined) {
      return refuse(401, 'bad-signature', 'Signature is missing or not base64');
    }
    let text: string;
    try {
      text = signedText(input.parts);
    } catch (error) {
      if (!(error instanceof SigningError)) throw error;
      return refuse(401, 'unsignable', error.message);
    }
    if (!verifySignature('sha256', Buffer.from(text, 'utf8'), certificate.publicKey, signature)) {
      return refuse(401, 'bad-signature', 'Signature does not match');
    }

    const date = this.#replayGuard.checkDate(input.parts.date);
    if (!date.ok) return date;

    // A request speaks for its From; a response speaks for whoever answered, which the caller
    // checks against the peer it asked (e.g. through `claimed`).
    if (input.parts.kind === 'request' && comparableAor(input.parts.fromUri) !== certificate.aor) {
      return refuse(403, 'from-mismatch', `From does not match the certificate (it is ${certificate.aor})`);
    }
    const claimed = input.claimed;
    if (claimed?.aor !== undefined && comparableAor(claimed.aor) !== certificate.aor) {
      return refuse(403, 'aor-mismatch', `Address does not match the certificate (it is ${certificate.aor})`);
    }
    if (claimed?.nodeId !== undefined && claimed.nodeId.toLowerCase() !== certificate.nodeId) {
      return refuse(403, 'node-id-claim-mismatch', 'NodeID does not match the certificate');
    }

    if (!input.repeatAllowed) {
      const fresh = this.#replayGuard.remember(signature);
      if (!fresh.ok) return fresh;
    }

    return {
      ok: true,
      aor: certificate.aor,
      nodeId: certificate.nodeId,
      fingerprint: certificate.fingerprint,
    };
  }

  #certificateOf(input: VerifyInput): CertificateCheck | UnknownCertificateRef | VerificationRefusal {
    const { credential } = input;
    if (input.certificatePem !== undefined) return this.#validator.validate(input.certificatePem);
    const certificate =
      input.certificate ?? (credential?.kind === 'certificate' ? credential.certificate : undefined);
    if (certificate !== undefined) return this.#validator.validateBase64Der(certificate);
    const ref =
      input.certificateRef ?? (credential?.kind === 'certificate-ref' ? credential.fingerprint : undefined);
    if (ref !== undefined) return this.#validator.validateRef(ref);
    return refuse(428, 'no-certificate', 'Message carries no certificate, send it with one');
  }
}

function refuse(code: 401 | 403 | 428, problem: VerificationProblem, reason: string): VerificationRefusal {
  return { ok: false, code, problem, reason };
}
