/**
 * A SIP message as text: start line, header fields in order, body. A proxy must forward what it
 * received with the fewest possible changes (RFC 3261 section 16.6: "the proxy MUST NOT
 * reorder or modify header fields other than those it is told to"), so the proxy works on this
 * form instead of re-serialising sip.js's parsed view.
 *
 * Strings here are "byte strings": one char per octet (latin1), as the UDP transport decodes
 * datagrams, so Content-Length arithmetic is exact and forwarded bodies keep their bytes.
 */
export interface HeaderField {
  name: string;
  value: string;
}

const COMPACT: Record<string, string> = {
  v: 'via',
  f: 'from',
  t: 'to',
  i: 'call-id',
  m: 'contact',
  l: 'content-length',
  c: 'content-type',
  e: 'content-encoding',
  k: 'supported',
  s: 'subject',
  o: 'event',
  r: 'refer-to',
  u: 'allow-events',
  b: 'referred-by',
};

const canonical = new Map<string, string>();

/**
 * The canonical lower-case long name of a header field ("v" and "Via" are both "via"). Memoised:
 * every header lookup asks it for every header of the message, and names repeat endlessly.
 */
export function canonicalName(name: string): string {
  let known = canonical.get(name);
  if (known === undefined) {
    const lower = name.trim().toLowerCase();
    known = COMPACT[lower] ?? lower;
    if (canonical.size < 4096) canonical.set(name, known);
  }
  return known;
}

export class RawMessage {
  constructor(
    public startLine: string,
    public headers: HeaderField[],
    public body: string,
  ) {}

  /** Splits a message; unfolds continuation lines. Throws on text with no header/body break. */
  static parse(text: string): RawMessage {
    const end = text.indexOf('\r\n\r\n');
    if (end < 0) throw new Error('no end of headers');
    const lines = text.slice(0, end).split('\r\n');
    const startLine = lines.shift() ?? '';
    const headers: HeaderField[] = [];
    for (const line of lines) {
      if ((line.startsWith(' ') || line.startsWith('\t')) && headers.length > 0) {
        headers[headers.length - 1].value += ' ' + line.trim();
        continue;
      }
      const colon = line.indexOf(':');
      if (colon <= 0) throw new Error(`header line without a colon: ${line.slice(0, 40)}`);
      headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
    }
    let body = text.slice(end + 4);
    const length = headers.find((h) => canonicalName(h.name) === 'content-length');
    if (length && /^\d+$/.test(length.value)) body = body.slice(0, Number(length.value));
    return new RawMessage(startLine, headers, body);
  }

  values(name: string): string[] {
    const wanted = canonicalName(name);
    return this.headers.filter((h) => canonicalName(h.name) === wanted).map((h) => h.value);
  }

  first(name: string): string | undefined {
    return this.values(name)[0];
  }

  set(name: string, value: string): void {
    const wanted = canonicalName(name);
    const index = this.headers.findIndex((h) => canonicalName(h.name) === wanted);
    if (index < 0) this.headers.push({ name, value });
    else {
      this.headers[index] = { name, value };
      this.headers = this.headers.filter((h, i) => i <= index || canonicalName(h.name) !== wanted);
    }
  }

  remove(name: string): void {
    const wanted = canonicalName(name);
    this.headers = this.headers.filter((h) => canonicalName(h.name) !== wanted);
  }

  /** Puts a header field value above every other (Via and Record-Route grow at the top). */
  prepend(name: string, value: string): void {
    const wanted = canonicalName(name);
    const index = this.headers.findIndex((h) => canonicalName(h.name) === wanted);
    this.headers.splice(index < 0 ? 0 : index, 0, { name, value });
  }

  /**
   * Removes the topmost value of a multi-valued header (Via, Route), which may share its
   * header line with others after a comma (RFC 3261 section 7.3.1).
   */
  removeTopValue(name: string): string | undefined {
    const wanted = canonicalName(name);
    const index = this.headers.findIndex((h) => canonicalName(h.name) === wanted);
    if (index < 0) return undefined;
    const values = splitCommaList(this.headers[index].value);
    const top = values.shift();
    if (values.length === 0) this.headers.splice(index, 1);
    else this.headers[index] = { ...this.headers[index], value: values.join(', ') };
    return top;
  }

  /** Topmost value of a comma-separable header. */
  topValue(name: string): string | undefined {
    const line = this.first(name);
    return line === undefined ? undefined : splitCommaList(line)[0];
  }

  toString(): string {
    let text = this.startLine + '\r\n';
    let wroteLength = false;
    for (const h of this.headers) {
      if (canonicalName(h.name) === 'content-length') {
        text += `Content-Length: ${this.body.length}\r\n`;
        wroteLength = true;
      } else text += `${h.name}: ${h.value}\r\n`;
    }
    if (!wroteLength) text += `Content-Length: ${this.body.length}\r\n`;
    return text + '\r\n' + this.body;
  }
}

/** Splits "a, <sip:b,c>;x="y,z", d" on the commas that separate values. */
export function splitCommaList(value: string): string[] {
  const out: string[] = [];
  let depthAngle = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '<') depthAngle++;
    else if (ch === '>') depthAngle = Math.max(0, depthAngle - 1);
    else if (ch === ',' && depthAngle === 0) {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out.filter((v) => v.length > 0);
}
