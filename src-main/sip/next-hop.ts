import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Grammar } from 'sip.js/lib/core/index.js';
import type { Endpoint } from './udp-transport.ts';
import type { Via } from './via.ts';

export class UnroutableError extends Error {
  constructor(what: string) {
    super(`Cannot route to ${what}`);
    this.name = 'UnroutableError';
  }
}

/** The host and port of a SIP URI (maddr wins), or undefined when the text is no SIP URI. */
export function uriEndpoint(uri: string): { host: string; port: number } | undefined {
  const parsed = Grammar.URIParse(uri.replace(/^<|>$/g, ''));
  if (!parsed || (parsed.scheme !== 'sip' && parsed.scheme !== 'sips')) return undefined;
  const maddr = parsed.getParam('maddr');
  const host = String(maddr ?? parsed.host).replace(/^\[|\]$/g, '');
  return { host, port: parsed.port ?? 5060 };
}

/** Resolves a host name once; IP literals pass through. */
export async function resolveHost(host: string): Promise<string> {
  if (isIP(host)) return host;
  try {
    return (await lookup(host)).address;
  } catch {
    throw new UnroutableError(host);
  }
}

/**
 * RFC 3261 section 8.1.2 and 16.12: a request goes to its top Route when that is a loose
 * router (lr), otherwise to its Request-URI.
 */
export async function requestDestination(
  requestUri: string,
  topRoute: string | undefined,
): Promise<Endpoint> {
  const target = topRoute !== undefined ? nameAddrUri(topRoute) : requestUri;
  const hop = uriEndpoint(target);
  if (!hop) throw new UnroutableError(target);
  return { address: await resolveHost(hop.host), port: hop.port };
}

/**
 * RFC 3261 section 18.2.2 with RFC 3581: a response goes to the received address of the top
 * Via (else its sent-by host) and to rport (else the sent-by port, else 5060).
 */
export function responseDestination(via: Via): Endpoint {
  const address = via.received ?? via.host;
  const port = typeof via.rport === 'number' ? via.rport : (via.port ?? 5060);
  return { address, port };
}

/** "<sip:a@b;lr>;x=y" → "sip:a@b;lr". */
export function nameAddrUri(value: string): string {
  const open = value.indexOf('<');
  const close = value.indexOf('>', open);
  if (open >= 0 && close > open) return value.slice(open + 1, close);
  return value.split(';')[0].trim();
}
