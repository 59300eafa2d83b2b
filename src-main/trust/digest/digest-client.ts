import { randomBytes } from 'node:crypto';
import { DIGEST_ALGORITHMS, parseDigestAlgorithm } from './digest-algorithm.ts';
import type { DigestAlgorithm } from './digest-algorithm.ts';
import { computeResponse } from './compute-response.ts';
import { DigestChallengeError, DigestInputError } from './digest-errors.ts';
import { ha1 } from './ha1.ts';
import { parseDigestParams } from './parse-digest-params.ts';
import { quote } from './quoted-string.ts';

export interface DigestResponseInput {
  /**
   * The WWW-Authenticate (or Proxy-Authenticate) value of the 401, or all of them when the server
   * sent one per algorithm (RFC 8760 §2.4); the first SHA-256 one wins, then the first MD5 one.
   */
  readonly challengeHeaderValue: string | readonly string[];
  readonly method: string;
  /** The Request-URI of the request being authorised, e.g. "sip:example.com". */
  readonly uri: string;
  readonly username: string;
  readonly password: string;
  /** Client nonce; 16 random bytes in hex by default. Tests fix it to reproduce RFC vectors. */
  readonly cnonce?: string;
  /** How many requests this client has sent with this nonce, from 1 (the default). */
  readonly nc?: number;
}

interface UsableChallenge {
  readonly algorithm: DigestAlgorithm;
  /** The algorithm parameter exactly as the server spelled it, echoed back (RFC 7616 §3.4). */
  readonly algorithmParam: string | undefined;
  readonly realm: string;
  readonly nonce: string;
  readonly opaque: string | undefined;
  readonly qopAuth: boolean;
}

/**
 * Builds the Authorization header value that answers a digest challenge. sip.js carries an
 * MD5-only client; our peers log in to a server that prefers SHA-256, hence this helper.
 *
 * Throws `DigestChallengeError` when no challenge can be answered (not Digest, no realm or
 * nonce, only algorithms or qops we lack) and `DigestInputError` when an argument cannot be put
 * in a header.
 */
export function digestResponse(input: DigestResponseInput): string {
  const values =
    typeof input.challengeHeaderValue === 'string'
      ? [input.challengeHeaderValue]
      : input.challengeHeaderValue;
  const problems: string[] = [];
  const usable: UsableChallenge[] = [];
  for (const value of values) {
    const challenge = readChallenge(value);
    if (typeof challenge === 'string') problems.push(challenge);
    else usable.push(challenge);
  }
  const chosen = DIGEST_ALGORITHMS.map((a) => usable.find((c) => c.algorithm === a)).find(
    (c) => c !== undefined,
  );
  if (chosen === undefined) {
    const why = problems.length > 0 ? problems.join('; ') : 'no challenge was given';
    throw new DigestChallengeError(`Cannot answer the server's digest challenge: ${why}.`);
  }

  const nc = input.nc ?? 1;
  if (!Number.isInteger(nc) || nc < 1 || nc > 0xffffffff) {
    throw new DigestInputError(`nc must be an integer from 1 to 4294967295, not ${nc}.`);
  }
  const ncHex = nc.toString(16).padStart(8, '0');
  const cnonce = input.cnonce ?? randomBytes(16).toString('hex');
  const response = computeResponse({
    algorithm: chosen.algorithm,
    ha1: ha1(chosen.algorithm, input.username, chosen.realm, input.password),
    method: input.method,
    uri: input.uri,
    nonce: chosen.nonce,
    qopAuth: chosen.qopAuth ? { nc: ncHex, cnonce } : undefined,
  });

  const parts = [
    `username=${quote(input.username, 'username')}`,
    `realm=${quote(chosen.realm, 'realm')}`,
    `nonce=${quote(chosen.nonce, 'nonce')}`,
    `uri=${quote(input.uri, 'uri')}`,
    `response="${response}"`,
    `algorithm=${chosen.algorithmParam ?? chosen.algorithm}`,
  ];
  if (chosen.opaque !== undefined) parts.push(`opaque=${quote(chosen.opaque, 'opaque')}`);
  if (chosen.qopAuth) parts.push('qop=auth', `nc=${ncHex}`, `cnonce=${quote(cnonce, 'cnonce')}`);
  return `Digest ${parts.join(', ')}`;
}

/** A challenge we can answer, or a sentence saying why not. */
function readChallenge(value: string): UsableChallenge | string {
  const parsed = parseDigestParams(value);
  if (!parsed.ok) return `a challenge is malformed (${parsed.detail})`;
  if (parsed.scheme.toLowerCase() !== 'digest') return `scheme "${parsed.scheme}" is not Digest`;
  const p = parsed.params;
  const realm = p.get('realm');
  const nonce = p.get('nonce');
  if (realm === undefined || nonce === undefined) return 'a challenge lacks realm or nonce';
  const algorithmParam = p.get('algorithm');
  const algorithm = parseDigestAlgorithm(algorithmParam);
  if (algorithm === undefined) return `algorithm "${algorithmParam}" is not supported`;
  const qop = p.get('qop');
  const qops = qop === undefined ? [] : qop.split(',').map((q) => q.trim().toLowerCase());
  // RFC 2617 §3.2.1: with qop the client must pick one we know; without it, the RFC 2069 form.
  if (qop !== undefined && !qops.includes('auth')) return `qop "${qop}" offers no "auth"`;
  return { algorithm, algorithmParam, realm, nonce, opaque: p.get('opaque'), qopAuth: qop !== undefined };
}
