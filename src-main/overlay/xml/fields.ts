import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { P2pXmlError, excerpt, tagName } from './p2p-xml-error.ts';
import type { XmlElement } from './xml-tree.ts';
import { P2P_XML_NAMESPACE } from './constants.ts';

// Field rules shared by build and parse, so that we never emit what a peer would refuse. Each
// mirrors a simple type in docs/p2p.xsd; keep the two in step.

const NODE_ID = /^[0-9a-f]{40}$/;
const FINGERPRINT = /^[0-9a-f]{64}$/;
const SERIAL = /^[0-9a-f]{1,40}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const SIP_URL = /^sips?:[^ \t\r\n]+$/;
const MAX_URL = 256;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;
const UINT = /^[0-9]{1,10}$/;
const UINT53 = /^[0-9]{1,16}$/;
const TOKEN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const LINE = /^[^\t\r\n]*$/;
const MAX_LINE = 256;

/** A Chord identifier: SHA-1 over the DER SubjectPublicKeyInfo, 40 lowercase hex digits. */
export function checkNodeId(value: string, path: string): string {
  if (!NODE_ID.test(value)) {
    throw new P2pXmlError(`${path} must be 40 lowercase hex digits (a SHA-1 NodeID), got ${excerpt(value)}`);
  }
  return value;
}

/** SHA-256 over a certificate's DER, 64 lowercase hex digits. */
export function checkFingerprint(value: string, path: string): string {
  if (!FINGERPRINT.test(value)) {
    throw new P2pXmlError(
      `${path} must be 64 lowercase hex digits (a SHA-256 fingerprint), got ${excerpt(value)}`,
    );
  }
  return value;
}

/** An X.509 serial number (at most 20 octets) in lowercase hex. */
export function checkSerial(value: string, path: string): string {
  if (!SERIAL.test(value)) {
    throw new P2pXmlError(`${path} must be 1 to 40 lowercase hex digits, got ${excerpt(value)}`);
  }
  return value;
}

/**
 * Canonical base64 (RFC 4648 alphabet, padded, unused bits zero, no whitespace inside). Canonical
 * so that one value has one spelling, which keeps signed texts unambiguous.
 */
export function checkBase64(value: string, path: string, allowEmpty = false): string {
  if (value === '' && !allowEmpty) throw new P2pXmlError(`${path} must not be empty`);
  if (!BASE64.test(value) || Buffer.from(value, 'base64').toString('base64') !== value) {
    throw new P2pXmlError(`${path} must be canonical base64, got ${excerpt(value)}`);
  }
  return value;
}

export function checkSipUrl(value: string, path: string): string {
  if (value.length > MAX_URL || !SIP_URL.test(value)) {
    throw new P2pXmlError(`${path} must be a sip: or sips: URI without spaces, got ${excerpt(value)}`);
  }
  return value;
}

/** ISO 8601 in UTC with a Z, seconds and up to milliseconds: 2025-11-24T20:19:00Z. */
export function checkTimestamp(value: string, path: string): string {
  const ok = TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value));
  // Date.parse rolls 2025-02-30 over to March; a real date survives the round trip.
  if (!ok || new Date(value).toISOString().slice(0, 19) !== value.slice(0, 19)) {
    throw new P2pXmlError(
      `${path} must be an ISO 8601 UTC time like 2025-11-24T20:19:00Z, got ${excerpt(value)}`,
    );
  }
  return value;
}

/** Layer and algorithm names: a short token, so that unknown ones can be logged safely. */
export function checkToken(value: string, path: string): string {
  if (!TOKEN.test(value)) {
    throw new P2pXmlError(
      `${path} must be a token of letters, digits, '.', '_' or '-', got ${excerpt(value)}`,
    );
  }
  return value;
}

/** One line of human text: 1 to 256 characters, no tab or line break, no surrounding spaces. */
export function checkLine(value: string, path: string): string {
  if (value === '' || value.length > MAX_LINE || !LINE.test(value) || value.trim() !== value) {
    throw new P2pXmlError(`${path} must be one line of 1 to ${MAX_LINE} characters, got ${excerpt(value)}`);
  }
  return value;
}

export function checkUint32(value: number, path: string, min = 0, max = 0xffff_ffff): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new P2pXmlError(`${path} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/** Decimal digits only: no sign, no exponent, no spaces; leading zeros are tolerated. */
export function parseUint32(text: string, path: string, min = 0, max = 0xffff_ffff): number {
  if (!UINT.test(text)) {
    throw new P2pXmlError(`${path} must be a decimal integer, got ${excerpt(text)}`);
  }
  return checkUint32(Number(text), path, min, max);
}

/**
 * A non-negative integer that a JavaScript number holds exactly (at most 2^53 - 1): milliseconds
 * since the epoch do not fit in 32 bits.
 */
export function checkUint53(value: number, path: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new P2pXmlError(`${path} must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}, got ${value}`);
  }
  return value;
}

/** Decimal digits only, as parseUint32, up to 2^53 - 1. */
export function parseUint53(text: string, path: string): number {
  if (!UINT53.test(text)) {
    throw new P2pXmlError(`${path} must be a decimal integer, got ${excerpt(text)}`);
  }
  return checkUint53(Number(text), path);
}

// ---- reading elements ----------------------------------------------------------------------

export interface ChildRule {
  readonly name: string;
  /** Default 1. */
  readonly min?: number;
  /** Default 1. */
  readonly max?: number;
}

/**
 * Reads the children of a message element against its sequence (docs/p2p.xsd). Elements in our
 * namespace must follow the rules' order and counts; elements from other namespaces are
 * extensions and are skipped; text between elements is refused.
 */
export function readChildren(
  element: XmlElement,
  path: string,
  rules: readonly ChildRule[],
): Map<string, XmlElement[]> {
  if (element.text !== '') {
    throw new P2pXmlError(`${path} must contain elements only, found text ${excerpt(element.text)}`);
  }
  const found = new Map<string, XmlElement[]>(rules.map((rule) => [rule.name, []]));
  let at = 0;
  for (const child of element.children) {
    if (child.namespace !== P2P_XML_NAMESPACE) continue;
    while (at < rules.length && rules[at]!.name !== child.localName) at++;
    const rule = rules[at];
    if (rule === undefined) {
      const known = rules.some((r) => r.name === child.localName);
      throw new P2pXmlError(
        known
          ? `${path}/${child.localName} is out of order (expected ${rules.map((r) => r.name).join(', ')})`
          : `${path} must not contain ${tagName(child.name)}`,
      );
    }
    const list = found.get(rule.name)!;
    if (list.length === (rule.max ?? 1)) {
      throw new P2pXmlError(`${path} has more than ${rule.max ?? 1} <${rule.name}>`);
    }
    list.push(child);
  }
  for (const rule of rules) {
    if (found.get(rule.name)!.length < (rule.min ?? 1)) {
      throw new P2pXmlError(`${path} is missing <${rule.name}>`);
    }
  }
  return found;
}

/** The text of a leaf element (one that has no child elements of ours). */
export function leafText(element: XmlElement, path: string): string {
  if (element.children.some((child) => child.namespace === P2P_XML_NAMESPACE)) {
    throw new P2pXmlError(`${path} must contain text only`);
  }
  return element.text;
}

/** The text of the one required child `name`, from the result of readChildren. */
export function requiredText(children: Map<string, XmlElement[]>, name: string, path: string): string {
  return leafText(children.get(name)![0]!, `${path}/${name}`);
}

/** The text of the optional child `name`, or undefined when absent. */
export function optionalText(
  children: Map<string, XmlElement[]>,
  name: string,
  path: string,
): string | undefined {
  const element = children.get(name)![0];
  return element === undefined ? undefined : leafText(element, `${path}/${name}`);
}

// ---- building elements ---------------------------------------------------------------------

/** Appends `<name>text</name>` to parent. */
export function addLeaf(parent: XMLBuilder, name: string, text: string): void {
  parent.ele(name).txt(text);
}
