import {
  clip,
  endOfQuotedString,
  hasWhitespace,
  isToken,
  paramProblem,
  splitOutside,
  uriScheme,
} from './sip-syntax.ts';

export interface AddressRules {
  /** Route and Record-Route take name-addr only (RFC 3261 section 25.1: route-param = name-addr ...). */
  nameAddrOnly?: boolean;
  /** Contact may be "*" (RFC 3261 section 10.2.2), alone. */
  allowStar?: boolean;
}

/**
 * The problem with one From, To, Contact, Route, Record-Route or Reply-To value, or undefined.
 *
 * RFC 3261 section 25.1:
 *
 *   name-addr    = [ display-name ] LAQUOT addr-spec RAQUOT
 *   display-name = *(token LWS)/ quoted-string
 *   LAQUOT = SWS "<"; RAQUOT = ">" SWS    (no whitespace inside the brackets)
 *
 * and section 20: "If the URI contains a comma, question mark or semicolon, the URI MUST be
 * enclosed in angle brackets (< and >). Any URI parameters are contained within these
 * brackets. If the URI is not enclosed in angle brackets, any semicolon-delimited parameters
 * are header-parameters, not URI parameters."
 *
 * RFC 4475 cases: quotbal (3.1.2.6), regbadct (3.1.2.13), badaspec (3.1.2.14), baddn (3.1.2.15).
 */
export function addressProblem(value: string, rules: AddressRules = {}): string | undefined {
  const v = value.trim();
  if (v === '') return 'empty address';
  if (v === '*') return rules.allowStar ? undefined : '"*" is only a Contact value';
  const open = openingAngle(v);
  if (open === -1) return 'unterminated quoted string';
  if (open === undefined) {
    if (rules.nameAddrOnly) return 'the URI must be enclosed in <>';
    return addrSpecProblem(v);
  }
  const displayProblem = displayNameProblem(v.slice(0, open).trim());
  if (displayProblem) return displayProblem;
  const close = v.indexOf('>', open);
  if (close < 0) return 'no ">" closes the URI';
  const uri = v.slice(open + 1, close);
  if (uri !== uri.trim()) return 'whitespace inside <> around the URI';
  if (hasWhitespace(uri)) return 'whitespace inside the URI';
  if (uriScheme(uri) === undefined) return `"${clip(uri)}" is not a URI`;
  return paramProblem(v.slice(close + 1));
}

/** The index of the "<" that opens the URI, undefined for addr-spec form, -1 for an open quote. */
function openingAngle(v: string): number | undefined {
  for (let i = 0; i < v.length; i++) {
    if (v[i] === '"') {
      const end = endOfQuotedString(v, i);
      if (end < 0) return -1;
      i = end - 1;
    } else if (v[i] === '<') return i;
    else if (v[i] === ';') return undefined; // header parameters of an addr-spec begin
  }
  return undefined;
}

function displayNameProblem(display: string): string | undefined {
  if (display === '') return undefined;
  if (display.startsWith('"')) {
    return endOfQuotedString(display, 0) === display.length
      ? undefined
      : 'text after the quoted display name';
  }
  for (const word of display.split(/[ \t]+/)) {
    if (!isToken(word)) return `display name "${clip(display)}" has characters that must be quoted`;
  }
  return undefined;
}

function addrSpecProblem(v: string): string | undefined {
  const parts = splitOutside(v, ';');
  if (!parts) return 'unterminated quoted string';
  const uri = parts[0].trim();
  if (uriScheme(uri) === undefined) return `"${clip(uri)}" is not a URI`;
  if (hasWhitespace(uri)) return 'whitespace inside the URI';
  if (/[?,]/.test(uri)) return 'a URI with "?" or "," must be enclosed in <>';
  return paramProblem(v.slice(parts[0].length));
}

/**
 * A header line that may carry several addresses (Contact, Route, Record-Route): splits it on
 * the commas between values and checks each.
 */
export function addressListProblem(headerValue: string, rules: AddressRules = {}): string | undefined {
  const values = splitOutside(headerValue, ',');
  if (!values) return 'unterminated quoted string or unclosed <';
  if (values.length > 1 && values.some((v) => v.trim() === '*')) return '"*" must be the only Contact value';
  for (const value of values) {
    const problem = addressProblem(value, rules);
    if (problem) return problem;
  }
  return undefined;
}
