import type { SipRequest } from '../../sip/index.ts';
import { DigestAuthenticator, ha1 } from '../../trust/digest/index.ts';
import type { DigestAlgorithm } from '../../trust/digest/index.ts';

/** Wrong passwords allowed per minute before the bridge stops listening to anyone for that minute. */
const MAX_FAILURES_PER_MINUTE = 10;

export type PhoneAuthOutcome =
  { ok: true } | { ok: false; status: number; reason: string; headers: Array<[string, string]> };

/**
 * Digest authentication of the one desk phone (RFC 3261 section 22, RFC 8760: SHA-256 offered
 * first, MD5 beside it for phones that know nothing else), with the local password given to
 * `--sip-phone`. The phone's username is the user part of the peer's AOR and its realm the
 * AOR's domain, as the login server would say; the password is not the network login's: it
 * stays on this computer and opens only this bridge.
 *
 * Some phones know only MD5 and give up on a 401 that offers anything else beside it (baresip 1.0
 * on Debian: "Function not implemented"): for them, offer MD5 alone (`--sip-phone-digest MD5`).
 *
 * Every REGISTER and every INVITE from the phone is challenged (401); a nonce is good for one
 * request, so a captured one cannot be replayed to place a call.
 */
export class PhoneAuth {
  readonly #digest: DigestAuthenticator;
  readonly #user: string;
  readonly #realm: string;
  readonly #password: string;
  #failures: number[] = [];

  constructor(aor: string, password: string, algorithms?: readonly DigestAlgorithm[]) {
    const m = /^sips?:([^@]+)@(.+)$/.exec(aor);
    if (!m) throw new Error(`The peer's AOR ${aor} has no user part for a desk phone to register as`);
    [, this.#user, this.#realm] = m;
    this.#password = password;
    this.#digest = new DigestAuthenticator({ realm: this.#realm, algorithms });
  }

  /** The username the phone must be configured with. */
  get username(): string {
    return this.#user;
  }

  check(request: SipRequest): PhoneAuthOutcome {
    const now = Date.now();
    this.#failures = this.#failures.filter((at) => now - at < 60_000);
    if (this.#failures.length >= MAX_FAILURES_PER_MINUTE) {
      return refusal(
        403,
        'Forbidden: too many wrong passwords for the desk phone; try again in a minute',
        [],
      );
    }
    const header = request.header('authorization');
    if (header === undefined) return this.#challenge(false, 'Unauthorized');
    const verified = this.#digest.verify({
      method: request.method,
      authorizationHeader: header,
      lookupHa1: (username, realm, algorithm) =>
        username === this.#user && realm === this.#realm
          ? ha1(algorithm, username, realm, this.#password)
          : undefined,
    });
    if (verified.ok) return { ok: true };
    if (verified.staleChallenge) return this.#challenge(true, 'Unauthorized');
    if (verified.reason === 'wrong-password' || verified.reason === 'unknown-user') this.#failures.push(now);
    const hint =
      verified.reason === 'unknown-user'
        ? `the desk phone's username must be ${this.#user}`
        : verified.reason === 'wrong-password'
          ? 'wrong password for the desk phone (the one given to --sip-phone)'
          : verified.detail;
    return this.#challenge(false, `Unauthorized: ${hint}`);
  }

  #challenge(stale: boolean, reason: string): PhoneAuthOutcome {
    const headers = this.#digest
      .challenge({ stale })
      .map((value): [string, string] => ['WWW-Authenticate', value]);
    return refusal(401, reason, headers);
  }
}

function refusal(status: number, reason: string, headers: Array<[string, string]>): PhoneAuthOutcome {
  return { ok: false, status, reason, headers };
}
