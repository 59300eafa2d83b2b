/**
 * Lexical pieces of the SIP grammar (RFC 3261 section 25.1) that the strict checks share.
 * Every function here is linear in its input: a hostile datagram cannot make one backtrack.
 */

/** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" ) */
const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

/**
 * word = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" /
 *        "(" / ")" / "<" / ">" / ":" / "\" / DQUOTE / "/" / "[" / "]" / "?" / "{" / "}" )
 */
const WORD = /^[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]+$/;

/** absoluteURI starts with scheme ":" and scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

export function isToken(text: string): boolean {
  return TOKEN.test(text);
}

export function isWord(text: string): boolean {
  return WORD.test(text);
}

/** The URI scheme in lower case ("sip", "tel", ...), or undefined when the text has none. */
export function uriScheme(uri: string): string | undefined {
  return SCHEME.exec(uri)?.[1].toLowerCase();
}

/** LWS = [*WSP CRLF] 1*WSP; after unfolding only SP and HTAB remain. */
export function hasWhitespace(text: string): boolean {
  return /[ \t]/.test(text);
}

/**
 * quoted-string = SWS DQUOTE *(qdtext / quoted-pair ) DQUOTE
 * quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
 *
 * Given the index of an opening DQUOTE, the index just after its closing DQUOTE, or -1 when the
 * string never ends.
 */
export function endOfQuotedString(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === '"') return i + 1;
  }
  return -1;
}

/**
 * Splits on `separator` where it stands outside quoted strings and outside <...>, keeping empty
 * elements so that ";;" and ",," stay visible to the checks. Undefined when a quoted string or
 * an angle bracket is left open (RFC 4475 3.1.2.6).
 */
export function splitOutside(text: string, separator: ',' | ';'): string[] | undefined {
  const out: string[] = [];
  let inAngle = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      const end = endOfQuotedString(text, i);
      if (end < 0) return undefined;
      i = end - 1;
    } else if (ch === '<' && !inAngle) inAngle = true;
    else if (ch === '>' && inAngle) inAngle = false;
    else if (ch === separator && !inAngle) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (inAngle) return undefined;
  out.push(text.slice(start));
  return out;
}

/**
 * generic-param = token [ EQUAL gen-value ]
 * gen-value = token / host / quoted-string
 *
 * Checks the parameters after a header value, `text` being everything from the first SEMI on
 * (or the empty string). Returns what is wrong, or undefined.
 */
export function paramProblem(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  const parts = splitOutside(text, ';');
  if (!parts) return 'unterminated quoted string in a parameter';
  if (parts[0].trim() !== '') return `unexpected text "${clip(parts[0].trim())}" before the parameters`;
  for (const part of parts.slice(1)) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim();
    if (name === '') return 'empty parameter';
    if (!isToken(name)) return `parameter name "${clip(name)}" is not a token`;
    if (eq < 0) continue;
    const value = part.slice(eq + 1).trim();
    if (value.startsWith('"')) {
      if (endOfQuotedString(value, 0) !== value.length)
        return `parameter ${clip(name)} has a broken quoted value`;
    } else if (!/^[A-Za-z0-9\-.!%*_+`'~:[\]]+$/.test(value)) {
      return `parameter ${clip(name)} has the value "${clip(value)}", which is neither token, host nor quoted-string`;
    }
  }
  return undefined;
}

/** Keeps reason phrases short: a hostile value may be 60 kB long. */
export function clip(text: string, max = 40): string {
  // eslint-disable-next-line no-control-regex -- control characters never reach a reason phrase
  const printable = text.replace(/[\u0000-\u001f\u007f-\u00ff]/g, '?');
  return printable.length > max ? printable.slice(0, max) + '...' : printable;
}
