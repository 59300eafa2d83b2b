/**
 * Addresses of record as they appear in certificates: subject `CN=<user>@<domain>` and
 * subjectAltName `URI:sip:<user>@<domain>` (ARCHITECTURE.md, "certificate").
 */
import { InvalidAorError } from './keystore-error.ts';

export interface Aor {
  /** `sip:alice@example.com` */
  uri: string;
  /** `alice@example.com`: the certificate's CN. */
  commonName: string;
  user: string;
  domain: string;
}

// RFC 3261 §25.1 user part (unreserved, escaped, user-unreserved) minus ',' and ';', which
// would need quoting in node:crypto's subjectAltName text; a host name, no port or parameters:
// an AOR names a user, not a contact address.
const USER_PATTERN = /^(?:[A-Za-z0-9\-_.!~*'()&=+$?/]|%[0-9A-Fa-f]{2})+$/;
const DOMAIN_PATTERN =
  /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

/** Whether `domain` is a plain host name (`example.com`), as used in AORs and the CA's name. */
export function isDomain(domain: string): boolean {
  return DOMAIN_PATTERN.test(domain);
}

/** Parses `sip:alice@example.com`; anything else is an `InvalidAorError`. */
export function parseAor(aor: string): Aor {
  const commonName = aor.startsWith('sip:') ? aor.slice('sip:'.length) : '';
  const at = commonName.lastIndexOf('@');
  const user = commonName.slice(0, at);
  const domain = commonName.slice(at + 1);
  if (at < 0 || !USER_PATTERN.test(user) || !isDomain(domain)) {
    throw new InvalidAorError(
      `"${aor}" is not an address of record: expected the form sip:alice@example.com ` +
        '(no display name, port or parameters).',
    );
  }
  return { uri: aor, commonName, user, domain };
}
