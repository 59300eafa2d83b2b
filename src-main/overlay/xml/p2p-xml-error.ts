/**
 * The one error the application/p2p+xml codec throws. `reason` is written for a person (it ends up
 * in logs and, via sip/, in a 400 reason phrase), names the element path, and never echoes more
 * than a short prefix of the offending value.
 */
export class P2pXmlError extends Error {
  override readonly name = 'P2pXmlError';

  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`application/p2p+xml: ${reason}`, options);
  }
}

/** A short, printable excerpt of an offending value, for error reasons. */
export function excerpt(value: string, max = 24): string {
  const shown = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(shown);
}

/** An element name as written, cut short: names come from the peer and may be long. */
export function tagName(name: string, max = 40): string {
  return `<${name.length > max ? `${name.slice(0, max)}…` : name}>`;
}
