/**
 * Addresses of record as a person types them. The core checks every address again; this only
 * lets the UI say what is wrong before a round trip, with the same rule as the certificates
 * (src-main/keystore/aor.ts): `sip:user@host`, no display name, port or parameters.
 */
const USER = /^(?:[A-Za-z0-9\-_.!~*'()&=+$?/]|%[0-9A-Fa-f]{2})+$/;
const DOMAIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

/** Whether `domain` is a plain host name such as example.com. */
export function isDomain(domain: string): boolean {
  return DOMAIN.test(domain);
}

/** Whether `aor` is exactly `sip:user@domain`. */
export function isAor(aor: string): boolean {
  if (!aor.startsWith('sip:')) return false;
  const rest = aor.slice('sip:'.length);
  const at = rest.lastIndexOf('@');
  return at > 0 && USER.test(rest.slice(0, at)) && isDomain(rest.slice(at + 1));
}

/**
 * What the person most likely meant: `bob` is bob in this phone's own domain, `bob@example.com`
 * lacks only the scheme. Returns null when no reading gives a valid address.
 */
export function completeAor(input: string, ownDomain: string | null): string | null {
  const text = input.trim();
  if (text === '') return null;
  let aor = text;
  if (!/^sips?:/i.test(text))
    aor = text.includes('@') ? `sip:${text}` : ownDomain ? `sip:${text}@${ownDomain}` : text;
  return isAor(aor) ? aor : null;
}

/** The user part of an AOR, for a display name when there is no other. */
export function userOf(aor: string): string {
  const rest = aor.replace(/^sips?:/, '');
  const at = rest.lastIndexOf('@');
  return at > 0 ? rest.slice(0, at) : rest;
}
