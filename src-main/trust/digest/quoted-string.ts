import { DigestInputError } from './digest-errors.ts';

/**
 * Wraps a value in a quoted-string (RFC 3261 §25.1: `DQUOTE *(qdtext / quoted-pair) DQUOTE`),
 * escaping `"` and `\`. Control characters cannot be carried in a quoted-string at all (CR or LF
 * would let a value inject header lines), so they are refused rather than escaped.
 */
export function quote(value: string, what: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what we look for
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) {
    throw new DigestInputError(`The ${what} contains a control character; remove it and try again.`);
  }
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
