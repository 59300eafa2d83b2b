import { digestHex, type DigestAlgorithm } from './digest-algorithm.ts';

/**
 * HA1 = H(username ":" realm ":" password) (RFC 2617 §3.2.2.2, RFC 7616 §3.4.2).
 *
 * The account store keeps only this value: it proves knowledge of the password for one realm
 * without being the password, so a leaked database does not reveal what people reuse elsewhere.
 * It is still password-equivalent for this realm, which is why the store wipes it on removal.
 */
export function ha1(algorithm: DigestAlgorithm, username: string, realm: string, password: string): string {
  return digestHex(algorithm, `${username}:${realm}:${password}`);
}
