import { isIPv4, isIPv6 } from 'node:net';
import { InvalidAorError, InvalidDomainError, InvalidUsernameError } from './account-errors.ts';

/**
 * Usernames, domains and addresses of record as the login server accepts them.
 *
 * RFC 3261 §25.1: user = 1*( unreserved / escaped / user-unreserved ), with
 *   unreserved      = alphanum / "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")"
 *   user-unreserved = "&" / "=" / "+" / "$" / "," / ";" / "?" / "/"
 * We accept exactly those characters but not escapes (`%41`): one name must have one spelling,
 * or "alice" and "%61lice" would be two accounts for one address.
 */
const USER_CHARS = /^[A-Za-z0-9\-_.!~*'()&=+$,;?/]+$/;
const MAX_USERNAME_LENGTH = 64;
const ALLOWED_DESCRIPTION = "letters, digits and - _ . ! ~ * ' ( ) & = + $ , ; ? /";

export function validateUsername(username: string): void {
  if (typeof username !== 'string' || username.length === 0) {
    throw new InvalidUsernameError('A username cannot be empty.');
  }
  if (username.length > MAX_USERNAME_LENGTH) {
    throw new InvalidUsernameError(
      `The username has ${username.length} characters; use at most ${MAX_USERNAME_LENGTH}.`,
    );
  }
  if (!USER_CHARS.test(username)) {
    const bad = [...username].find((ch) => !USER_CHARS.test(ch)) ?? '';
    throw new InvalidUsernameError(
      `The username ${JSON.stringify(username)} contains ${JSON.stringify(bad)}; a SIP username may use only ${ALLOWED_DESCRIPTION}.`,
    );
  }
}

// RFC 3261 §25.1 hostname: labels of alphanumerics and inner hyphens, top label starting with a letter.
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Returns the domain in canonical (lowercase) form; host names are case-insensitive (RFC 3261 §19.1.4). */
export function normalizeDomain(domain: string): string {
  if (typeof domain !== 'string' || domain.length === 0)
    throw new InvalidDomainError('A domain cannot be empty.');
  const lower = domain.toLowerCase();
  if (isIPv4(lower)) return lower;
  if (lower.startsWith('[') && lower.endsWith(']') && isIPv6(lower.slice(1, -1))) return lower;
  const labels = lower.split('.');
  const top = labels[labels.length - 1];
  if (lower.length > 253 || !labels.every((l) => LABEL.test(l)) || !/^[a-z]/.test(top)) {
    throw new InvalidDomainError(
      `${JSON.stringify(domain)} is not a host name, IPv4 address or [IPv6] reference; use something like "example.com".`,
    );
  }
  return lower;
}

/** sip:user@domain, the address of record the certificate's subjectAltName also carries. */
export function formatAor(username: string, domain: string): string {
  return `sip:${username}@${domain}`;
}

/** Splits "sip:alice@example.com" into its parts, validating both and lowercasing the domain. */
export function parseAor(aor: string): { username: string; domain: string; aor: string } {
  const match = typeof aor === 'string' ? /^sip:([^@]+)@([^@]+)$/i.exec(aor) : null;
  if (match === null) {
    throw new InvalidAorError(
      `${JSON.stringify(aor)} is not an address of record; write it as sip:user@domain.`,
    );
  }
  const username = match[1];
  validateUsername(username);
  const domain = normalizeDomain(match[2]);
  return { username, domain, aor: formatAor(username, domain) };
}
