/**
 * The shared grammar of a digest challenge and of digest credentials (RFC 3261 §25.1, RFC 7616
 * §3.3 and §3.4):
 *
 *   challenge / credentials = scheme LWS auth-param *(COMMA auth-param)
 *   auth-param              = token EQUAL ( token / quoted-string )
 *
 * The values come from the network, so this parser never throws: anything it cannot read is a
 * `{ ok: false, detail }` that a log line can show. It is lenient where real clients are sloppy
 * (unquoted values holding `/`, `:` or `=`, empty list elements, tabs) and strict where leniency
 * would be dangerous (unterminated quotes, control characters, duplicate parameters, size).
 */

/** Header values longer than this are refused before parsing; real ones are under 1 KB. */
export const MAX_DIGEST_HEADER_LENGTH = 8192;

export type DigestParamsParse =
  | { readonly ok: true; readonly scheme: string; readonly params: ReadonlyMap<string, string> }
  | { readonly ok: false; readonly detail: string };

// RFC 3261 §25.1 token characters.
const TOKEN_CHARS = new Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~");

function isWhitespace(ch: string): boolean {
  // CR and LF are accepted as LWS between elements in case a transport hands us a folded header.
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

function isControl(code: number): boolean {
  return code < 0x20 || code === 0x7f;
}

function describe(ch: string): string {
  return `character ${JSON.stringify(ch)}`;
}

/** Parses `Scheme name=value, name="quoted value", ...`; parameter names are lowercased. */
export function parseDigestParams(headerValue: unknown): DigestParamsParse {
  if (typeof headerValue !== 'string') return { ok: false, detail: 'header value is not a string' };
  if (headerValue.length > MAX_DIGEST_HEADER_LENGTH) {
    return {
      ok: false,
      detail: `header value is ${headerValue.length} characters, more than the ${MAX_DIGEST_HEADER_LENGTH} allowed`,
    };
  }
  const text = headerValue;
  let i = 0;
  const skipWhitespace = (): void => {
    while (i < text.length && isWhitespace(text[i])) i++;
  };
  const readToken = (): string => {
    const start = i;
    while (i < text.length && TOKEN_CHARS.has(text[i])) i++;
    return text.slice(start, i);
  };

  skipWhitespace();
  const scheme = readToken();
  if (scheme === '') return { ok: false, detail: 'missing authentication scheme (expected "Digest")' };
  if (i < text.length && !isWhitespace(text[i])) {
    return { ok: false, detail: `unexpected ${describe(text[i])} after the scheme at position ${i}` };
  }

  const params = new Map<string, string>();
  for (;;) {
    // Empty list elements are allowed by the #rule (RFC 3261 §7.3.1), so skip stray commas.
    while (i < text.length && (isWhitespace(text[i]) || text[i] === ',')) i++;
    if (i >= text.length) break;

    const nameStart = i;
    const name = readToken();
    if (name === '') return { ok: false, detail: `unexpected ${describe(text[i])} at position ${i}` };
    skipWhitespace();
    if (text[i] !== '=')
      return { ok: false, detail: `parameter "${name}" at position ${nameStart} has no "="` };
    i++;
    skipWhitespace();

    let value: string;
    if (text[i] === '"') {
      const quoteStart = i;
      i++;
      const parts: string[] = [];
      let closed = false;
      while (i < text.length) {
        const ch = text[i];
        const code = ch.charCodeAt(0);
        if (ch === '"') {
          closed = true;
          i++;
          break;
        }
        if (ch === '\\') {
          // quoted-pair: the next character stands for itself, but CR/LF never may.
          if (i + 1 >= text.length) break;
          const escaped = text[i + 1];
          if (escaped === '\r' || escaped === '\n') {
            return { ok: false, detail: `line break escaped inside the value of "${name}"` };
          }
          parts.push(escaped);
          i += 2;
          continue;
        }
        if (isControl(code) && ch !== '\t') {
          return { ok: false, detail: `control character inside the value of "${name}" at position ${i}` };
        }
        parts.push(ch);
        i++;
      }
      if (!closed) {
        return {
          ok: false,
          detail: `unterminated quoted string for "${name}" starting at position ${quoteStart}`,
        };
      }
      value = parts.join('');
    } else {
      const start = i;
      while (i < text.length && !isWhitespace(text[i]) && text[i] !== ',' && text[i] !== '"') {
        if (isControl(text.charCodeAt(i))) {
          return { ok: false, detail: `control character in the value of "${name}" at position ${i}` };
        }
        i++;
      }
      value = text.slice(start, i);
      if (value === '') return { ok: false, detail: `parameter "${name}" has an empty value` };
    }

    const key = name.toLowerCase();
    if (params.has(key)) return { ok: false, detail: `parameter "${key}" appears twice` };
    params.set(key, value);

    skipWhitespace();
    if (i < text.length && text[i] !== ',') {
      return { ok: false, detail: `expected "," after parameter "${name}" but found ${describe(text[i])}` };
    }
  }

  if (params.size === 0) return { ok: false, detail: `scheme "${scheme}" has no parameters` };
  return { ok: true, scheme, params };
}
