import {
  KeyStoreError,
  NoCertificateError,
  NoIdentityError,
  WrongPassphraseError,
} from '../keystore/index.ts';
import { PHONE_ERROR_CODES as CODES, PhoneCommandError } from '../ipc/phone-error.ts';
import { PortInUseError } from '../sip/index.ts';
import { LoginError } from '../trust/login-client.ts';

/**
 * Failures of the layers below, in the words the UI shows (issue 4: "errors in plain words:
 * wrong password, login server unreachable, certificate revoked or expired"). The layers below
 * already write messages for people; this adds a stable `code` for the UI to branch on and the
 * next step to take where theirs stops at what went wrong.
 */
export function explain(error: unknown): PhoneCommandError {
  if (error instanceof PhoneCommandError) return error;
  if (error instanceof LoginError) {
    switch (error.problem) {
      case 'wrong-password':
        return new PhoneCommandError(
          CODES.wrongPassword,
          `${error.message}: check it (passwords are case-sensitive) and try again`,
        );
      case 'unknown-user':
        return new PhoneCommandError(CODES.unknownUser, error.message);
      case 'unreachable':
        return new PhoneCommandError(CODES.unreachable, error.message);
      case 'untrusted-server':
        return new PhoneCommandError(CODES.untrustedServer, error.message);
      default:
        return new PhoneCommandError(CODES.refused, error.message);
    }
  }
  if (error instanceof WrongPassphraseError) {
    return new PhoneCommandError(
      CODES.refused,
      `The key store in this data folder did not open with this app's passphrase: ${error.message}`,
    );
  }
  if (error instanceof NoIdentityError || error instanceof NoCertificateError) {
    return new PhoneCommandError(
      CODES.notReady,
      'This phone has no certificate yet: create a network or join one first',
    );
  }
  if (error instanceof KeyStoreError) return new PhoneCommandError(CODES.badFile, error.message);
  if (error instanceof PortInUseError) return new PhoneCommandError(CODES.portInUse, error.message);
  return new PhoneCommandError(
    CODES.internal,
    `Something went wrong inside the phone: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
  );
}

/**
 * Why the ring refused this peer, when the refusal is about its certificate: the bootstrap
 * peers answer 403 with the trust layer's reason ("Certificate revoked on …", "Certificate
 * expired on …"). Undefined for any other reason (they were merely away).
 */
export function certificateRefusal(why: string): PhoneCommandError | undefined {
  const revoked = /certificate revoked on ([^;)]+(?:\([^)]*\))?)/i.exec(why);
  if (revoked) {
    return new PhoneCommandError(
      CODES.certificateRevoked,
      `The network refused you: your certificate was revoked (${revoked[1].trim()}). Ask the network's operator, then join again.`,
    );
  }
  const expired = /certificate expired on ([^;:)]+)/i.exec(why);
  if (expired) {
    return new PhoneCommandError(
      CODES.certificateExpired,
      `The network refused you: your certificate expired on ${expired[1].trim()}. Join the network again to get a new one.`,
    );
  }
  return undefined;
}

export function certificateExpired(notAfter: Date): PhoneCommandError {
  return new PhoneCommandError(
    CODES.certificateExpired,
    `Your certificate expired on ${notAfter.toISOString().slice(0, 10)}: join the network again (same login server, your password) to get a new one.`,
  );
}
