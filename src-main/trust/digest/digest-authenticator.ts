import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DIGEST_ALGORITHMS, digestHexLength, parseDigestAlgorithm } from './digest-algorithm.ts';
import type { DigestAlgorithm } from './digest-algorithm.ts';
import type { DigestAuthenticatorOptions } from './digest-authenticator-options.ts';
import type { DigestFailureReason, DigestVerification, VerifyRequest } from './digest-verification.ts';
import { computeResponse } from './compute-response.ts';
import { DigestConfigurationError } from './digest-errors.ts';
import { NonceIssuer } from './nonce-issuer.ts';
import { NonceLedger } from './nonce-ledger.ts';
import { parseAuthorization } from './parse-authorization.ts';
import { quote } from './quoted-string.ts';

const DEFAULT_NONCE_LIFETIME_SECONDS = 300;
const DEFAULT_MAX_TRACKED_NONCES = 65_536;
// Honest clients use one count per nonce (it is good for one success); a few more allow a retry.
const MAX_COUNTS_PER_NONCE = 8;

/**
 * The server side of SIP digest authentication (RFC 3261 §22, RFC 7616, RFC 8760).
 *
 * It works on header values and an HA1 lookup, not on SIP messages: the registrar in `sip/`
 * sends `challenge()` in a 401 and hands the Authorization header of the retry to `verify()`.
 *
 *   REGISTER ───────────────────────────▶  no Authorization: 401 + challenge()
 *   REGISTER + Authorization ───────────▶  verify(): ok ─▶ 200, nonce consumed
 *                                                    refused ─▶ 401 + challenge({ stale })
 */
export class DigestAuthenticator {
  readonly realm: string;
  /** Offered in this order; see `DigestAuthenticatorOptions.algorithms`. */
  readonly algorithms: readonly DigestAlgorithm[];
  readonly #clock: () => number;
  readonly #issuer: NonceIssuer;
  readonly #ledger: NonceLedger;
  readonly #opaque: string;
  /** Stand-ins for an unknown user's HA1, so that refusing one costs as much as a wrong password. */
  readonly #decoyHa1: Record<DigestAlgorithm, string>;

  constructor(options: DigestAuthenticatorOptions) {
    const realm = options.realm;
    // eslint-disable-next-line no-control-regex -- control characters are exactly what we refuse
    if (typeof realm !== 'string' || realm === '' || /[\u0000-\u001f\u007f]/.test(realm)) {
      throw new DigestConfigurationError(
        'The digest realm must be a non-empty string without control characters.',
      );
    }
    const secret = options.secret ?? randomBytes(32);
    if (secret.length < 16) {
      throw new DigestConfigurationError(`The nonce secret has ${secret.length} bytes; give it at least 16.`);
    }
    const lifetime = options.nonceLifetimeSeconds ?? DEFAULT_NONCE_LIFETIME_SECONDS;
    if (!Number.isFinite(lifetime) || lifetime <= 0) {
      throw new DigestConfigurationError(
        `nonceLifetimeSeconds must be a positive number of seconds, not ${lifetime}.`,
      );
    }
    const maxTrackedNonces = options.maxTrackedNonces ?? DEFAULT_MAX_TRACKED_NONCES;
    if (!Number.isInteger(maxTrackedNonces) || maxTrackedNonces < 1) {
      throw new DigestConfigurationError(
        `maxTrackedNonces must be a positive integer, not ${maxTrackedNonces}.`,
      );
    }
    const algorithms = options.algorithms ?? DIGEST_ALGORITHMS;
    if (
      algorithms.length === 0 ||
      new Set(algorithms).size !== algorithms.length ||
      !algorithms.every((a) => DIGEST_ALGORITHMS.includes(a))
    ) {
      throw new DigestConfigurationError(
        `algorithms must list each of ${DIGEST_ALGORITHMS.join(', ')} at most once, and at least one of them.`,
      );
    }
    this.realm = realm;
    this.algorithms = [...algorithms];
    this.#clock = options.clock ?? Date.now;
    this.#issuer = new NonceIssuer({ secret, realm, lifetimeMs: lifetime * 1000, clock: this.#clock });
    this.#ledger = new NonceLedger({ maxNonces: maxTrackedNonces, maxCountsPerNonce: MAX_COUNTS_PER_NONCE });
    // Derived, not random, so that every process sharing the secret sends the same opaque.
    this.#opaque = createHmac('sha256', secret)
      .update(`chordline-digest-opaque-1\0${realm}`)
      .digest('base64url');
    this.#decoyHa1 = {
      MD5: randomBytes(16).toString('hex'),
      'SHA-256': randomBytes(32).toString('hex'),
    };
  }

  /**
   * The WWW-Authenticate header values for a 401, one per algorithm, preferred first (RFC 8760
   * §2.4: SHA-256 then MD5 by default), all carrying the same fresh nonce. `stale: true` tells the client that only
   * its nonce was refused, so it retries with the same password without asking its user.
   */
  challenge(opts: { stale?: boolean } = {}): string[] {
    const nonce = this.#issuer.issue();
    const realm = quote(this.realm, 'realm');
    const stale = opts.stale === true ? ', stale=true' : '';
    return this.algorithms.map(
      (algorithm) =>
        `Digest realm=${realm}, nonce="${nonce}", opaque="${this.#opaque}", algorithm=${algorithm}, qop="auth"${stale}`,
    );
  }

  /**
   * Checks the Authorization header of a request. Never throws on what the client sent; only
   * `lookupHa1` may throw (a database failure is not the client's fault and should surface).
   *
   * The order of checks matters: everything decidable without the account store comes first, and
   * the HA1 lookup plus digest comparison always run once a nonce is in play, even for an
   * unknown user or a bad nonce, so that timing reveals neither and `staleChallenge` can be true
   * only for a client that really knows the password.
   */
  verify(request: VerifyRequest): DigestVerification {
    const parsed = parseAuthorization(request.authorizationHeader);
    if (!parsed.ok) return refuse('malformed', parsed.detail);
    const credentials = parsed.credentials;

    const algorithm = parseDigestAlgorithm(credentials.algorithm);
    if (algorithm === undefined || !this.algorithms.includes(algorithm)) {
      return refuse(
        'unsupported-algorithm',
        `algorithm ${JSON.stringify(credentials.algorithm)} is not offered; use ${this.algorithms.join(' or ')}`,
      );
    }
    if (credentials.userhash) return refuse('unsupported-algorithm', 'userhash=true is not supported');
    if (credentials.qop !== undefined && credentials.qop !== 'auth') {
      return refuse('unsupported-qop', `qop ${JSON.stringify(credentials.qop)} is not offered; use "auth"`);
    }
    const expectedLength = digestHexLength(algorithm);
    if (credentials.response.length !== expectedLength) {
      return refuse(
        'malformed',
        `response has ${credentials.response.length} hex digits; ${algorithm} gives ${expectedLength}`,
      );
    }
    if (credentials.realm !== this.realm) {
      return refuse(
        'realm-mismatch',
        `credentials are for realm ${JSON.stringify(credentials.realm)}, not ${JSON.stringify(this.realm)}`,
      );
    }
    // RFC 7616 §3.3: the nonce must be one we issued, still fresh, and (our policy, see
    // NonceLedger) not used before.
    let nonceProblem: { reason: DigestFailureReason; detail: string } | undefined;
    const inspection = this.#issuer.inspect(credentials.nonce);
    if (inspection.status === 'forged') {
      nonceProblem = { reason: 'bad-nonce', detail: 'nonce was not issued by this server' };
    } else if (inspection.status === 'expired') {
      nonceProblem = { reason: 'stale-nonce', detail: 'nonce has expired' };
    } else {
      const use = this.#ledger.use(
        credentials.nonce,
        inspection.issuedAt,
        inspection.expiresAt,
        credentials.nc ?? '',
        this.#clock(),
      );
      if (use === 'forgotten') {
        nonceProblem = { reason: 'stale-nonce', detail: 'nonce was forgotten under load' };
      } else if (use === 'reused') {
        nonceProblem = { reason: 'reused-nonce', detail: 'nonce was already used' };
      }
    }
    // The opaque travels with the nonce and changes with the secret, so a mismatch is judged like
    // a bad nonce: after a restart, a client that knows its password retries silently.
    if (
      nonceProblem === undefined &&
      credentials.opaque !== undefined &&
      credentials.opaque !== this.#opaque
    ) {
      nonceProblem = { reason: 'opaque-mismatch', detail: 'opaque differs from the one in our challenge' };
    }

    const ha1 = request.lookupHa1(credentials.username, credentials.realm, algorithm)?.toLowerCase();
    const expected = computeResponse({
      algorithm,
      ha1: ha1 ?? this.#decoyHa1[algorithm],
      method: request.method,
      uri: credentials.uri,
      nonce: credentials.nonce,
      qopAuth:
        credentials.qop === 'auth' && credentials.nc !== undefined && credentials.cnonce !== undefined
          ? { nc: credentials.nc, cnonce: credentials.cnonce }
          : undefined,
    });
    const digestMatches = timingSafeEqual(
      Buffer.from(expected, 'latin1'),
      Buffer.from(credentials.response, 'latin1'),
    );

    if (nonceProblem !== undefined) {
      return { ok: false, ...nonceProblem, staleChallenge: ha1 !== undefined && digestMatches };
    }
    if (ha1 === undefined)
      return refuse('unknown-user', `no account ${JSON.stringify(credentials.username)} in this realm`);
    if (!digestMatches)
      return refuse('wrong-password', `wrong password for ${JSON.stringify(credentials.username)}`);

    this.#ledger.consume(credentials.nonce);
    return {
      ok: true,
      username: credentials.username,
      realm: credentials.realm,
      uri: credentials.uri,
      algorithm,
    };
  }
}

function refuse(reason: DigestFailureReason, detail: string): DigestVerification {
  return { ok: false, reason, detail, staleChallenge: false };
}
