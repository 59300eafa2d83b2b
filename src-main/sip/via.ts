import { splitCommaList } from './raw-message.ts';

/** RFC 3261 section 8.1.1.7: a branch that starts with this cookie is unique per transaction. */
export const MAGIC_COOKIE = 'z9hG4bK';

/** One Via header field value (RFC 3261 section 20.42, RFC 3581 rport). */
export interface Via {
  protocol: string; // "SIP/2.0/UDP"
  transport: string; // "UDP"
  host: string; // without IPv6 brackets
  port: number | undefined;
  branch: string | undefined;
  received: string | undefined;
  /** undefined: absent; null: present without a value (a request for RFC 3581). */
  rport: number | null | undefined;
  params: Map<string, string | null>;
}

export class ViaSyntaxError extends Error {
  constructor(value: string) {
    super(`Malformed Via: ${value.slice(0, 80)}`);
    this.name = 'ViaSyntaxError';
  }
}

const SENT_PROTOCOL = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z0-9.!%*_+`'~-]+)\s+/i;

/**
 * Parses one Via value. sip.js's grammar mis-parses a header line that carries several
 * comma-separated Vias (it mixes the host of one with the port of another), so every layer that
 * routes a response reads the top Via through this function instead.
 */
export function parseVia(value: string): Via {
  const m = SENT_PROTOCOL.exec(value);
  if (!m) throw new ViaSyntaxError(value);
  const rest = value.slice(m[0].length);
  const [sentBy, ...paramParts] = rest.split(';');
  const sb = sentBy.trim();
  let host: string;
  let portText: string | undefined;
  if (sb.startsWith('[')) {
    const close = sb.indexOf(']');
    if (close < 0) throw new ViaSyntaxError(value);
    host = sb.slice(1, close);
    const after = sb.slice(close + 1);
    if (after && !after.startsWith(':')) throw new ViaSyntaxError(value);
    portText = after ? after.slice(1) : undefined;
  } else {
    const colon = sb.indexOf(':');
    host = colon < 0 ? sb : sb.slice(0, colon);
    portText = colon < 0 ? undefined : sb.slice(colon + 1);
  }
  if (!host || !/^[A-Za-z0-9.:-]+$/.test(host)) throw new ViaSyntaxError(value);
  let port: number | undefined;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText.trim()) || Number(portText) > 65535) throw new ViaSyntaxError(value);
    port = Number(portText);
  }
  const params = new Map<string, string | null>();
  for (const part of paramParts) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (!name) throw new ViaSyntaxError(value);
    params.set(name, eq < 0 ? null : part.slice(eq + 1).trim());
  }
  const rportValue = params.get('rport');
  let rport: number | null | undefined;
  if (rportValue === undefined) rport = undefined;
  else if (rportValue === null || rportValue === '') rport = null;
  else if (/^\d{1,5}$/.test(rportValue)) rport = Number(rportValue);
  else throw new ViaSyntaxError(value);
  return {
    protocol: `SIP/2.0/${m[1].toUpperCase()}`,
    transport: m[1].toUpperCase(),
    host,
    port,
    branch: params.get('branch') ?? undefined,
    received: params.get('received') ?? undefined,
    rport,
    params,
  };
}

/** The topmost Via of a message's Via header lines. */
export function topVia(viaLines: string[]): Via | undefined {
  const first = viaLines[0];
  if (first === undefined) return undefined;
  const top = splitCommaList(first)[0];
  return top === undefined ? undefined : parseVia(top);
}

/**
 * RFC 3261 section 18.2.1 and RFC 3581 section 4: the server records where the request really
 * came from, so that the response finds its way back through NATs.
 */
export function stampReceived(viaValue: string, source: { address: string; port: number }): string {
  const via = parseVia(viaValue);
  let out = viaValue;
  const wantsRport = via.rport === null;
  if (wantsRport) out = out.replace(/;\s*rport(?=;|$)/i, `;rport=${source.port}`);
  if (via.host !== source.address || wantsRport) {
    if (via.received === undefined) out += `;received=${source.address}`;
  }
  return out;
}
