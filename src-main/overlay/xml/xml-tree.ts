import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { P2pXmlError } from './p2p-xml-error.ts';

/** Bodies larger than this are refused before any XML parsing (parseP2pXml's `maxBytes`). */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** Deeper nesting than any message needs (the deepest known path is 6) but far below stack limits. */
const MAX_DEPTH = 32;

/**
 * One element of a parsed body, with namespaces resolved. Text is the trimmed text directly inside
 * the element, entity references decoded, CDATA kept literally.
 */
export interface XmlElement {
  /** The name as written, prefix included (`NodeID`, `x:Foo`). */
  readonly name: string;
  readonly localName: string;
  /** The resolved namespace URI; '' when none (or an unbound prefix). */
  readonly namespace: string;
  /** Attributes by name as written, values decoded. */
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  readonly text: string;
}

// Hostile-input rules, checked on the raw text before fast-xml-parser sees it:
// - no DTD at all. fast-xml-parser would otherwise read <!ENTITY> declarations; with
//   processEntities off it does not expand them, but refusing the markup outright means a body
//   can never change meaning depending on a parser option.
// - only characters XML 1.0 allows (fast-xml-parser's validator lets control characters through).
const DTD_MARKUP = /<!(?:DOCTYPE|ENTITY)/i;
// Matching control characters is the point of this pattern.
/* eslint-disable no-control-regex */
const NOT_XML_CHAR =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/* eslint-enable no-control-regex */

const parser = new XMLParser({
  preserveOrder: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: true,
  cdataPropName: '#cdata',
  ignoreDeclaration: true,
  ignorePiTags: true,
});

type OrderedNode = Record<string, unknown>;

/** Checks size, DTD markup, characters and well-formedness, then returns the root element. */
export function parseXmlTree(text: string, maxBytes: number = DEFAULT_MAX_BODY_BYTES): XmlElement {
  if (typeof text !== 'string') throw new P2pXmlError('body is not text');
  // A UTF-16 code unit is at most 3 UTF-8 bytes: only count exactly when it could matter.
  const bytes = text.length * 3 <= maxBytes ? text.length : Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) {
    throw new P2pXmlError(`body is ${bytes} bytes, over the ${maxBytes}-byte limit`);
  }
  if (DTD_MARKUP.test(text)) {
    throw new P2pXmlError('DOCTYPE and ENTITY declarations are not allowed');
  }
  const bad = NOT_XML_CHAR.exec(text);
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).padStart(4, '0');
    throw new P2pXmlError(`character U+${code} at offset ${bad.index} is not allowed in XML`);
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new P2pXmlError(`malformed XML at line ${line}, column ${col ?? '?'}: ${msg}`);
  }
  let nodes: OrderedNode[];
  try {
    nodes = parser.parse(text) as OrderedNode[];
  } catch (cause) {
    // fast-xml-parser refuses names such as __proto__ or constructor; so do we.
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new P2pXmlError(`malformed XML: ${detail}`, { cause });
  }
  const roots = nodes.filter((node) => elementName(node) !== undefined);
  if (roots.length !== 1) {
    throw new P2pXmlError(`expected one root element, found ${roots.length}`);
  }
  return toElement(roots[0]!, new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]), '', 0);
}

function elementName(node: OrderedNode): string | undefined {
  for (const key of Object.keys(node)) {
    if (key !== ':@' && key !== '#text' && key !== '#cdata') return key;
  }
  return undefined;
}

function toElement(
  node: OrderedNode,
  prefixes: ReadonlyMap<string, string>,
  defaultNamespace: string,
  depth: number,
): XmlElement {
  const name = elementName(node)!;
  if (depth >= MAX_DEPTH) throw new P2pXmlError(`elements nested deeper than ${MAX_DEPTH} levels`);

  const rawAttributes = (node[':@'] ?? {}) as Record<string, string>;
  const attributes: Record<string, string> = {};
  let scope: Map<string, string> | undefined;
  for (const [key, raw] of Object.entries(rawAttributes)) {
    const value = decodeReferences(raw);
    attributes[key] = value;
    if (key === 'xmlns') defaultNamespace = value;
    else if (key.startsWith('xmlns:')) (scope ??= new Map(prefixes)).set(key.slice(6), value);
  }
  const inScope = scope ?? prefixes;

  const colon = name.indexOf(':');
  const localName = colon < 0 ? name : name.slice(colon + 1);
  const namespace = colon < 0 ? defaultNamespace : (inScope.get(name.slice(0, colon)) ?? '');

  const children: XmlElement[] = [];
  let text = '';
  for (const child of node[name] as OrderedNode[]) {
    if ('#text' in child) text += decodeReferences(String(child['#text']));
    else if ('#cdata' in child) {
      for (const part of child['#cdata'] as OrderedNode[]) text += String(part['#text'] ?? '');
    } else if (elementName(child) !== undefined) {
      children.push(toElement(child, inScope, defaultNamespace, depth + 1));
    }
  }
  return { name, localName, namespace, attributes, children, text };
}

const PREDEFINED: ReadonlyMap<string, string> = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
]);

/**
 * processEntities is off, so references arrive undecoded. Decode the five predefined ones and
 * character references; anything else would need a DTD, which we refuse.
 */
function decodeReferences(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&]*);?/g, (match, ref: string) => {
    if (!match.endsWith(';')) throw new P2pXmlError(`unterminated reference ${JSON.stringify(match)}`);
    const predefined = PREDEFINED.get(ref);
    if (predefined !== undefined) return predefined;
    const numeric = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(ref);
    if (numeric) {
      const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : parseInt(numeric[2]!, 10);
      const char = code <= 0x10ffff ? String.fromCodePoint(code) : '';
      if (char === '' || (code >= 0xd800 && code <= 0xdfff) || NOT_XML_CHAR.test(char)) {
        throw new P2pXmlError(`character reference ${match} is not an XML character`);
      }
      return char;
    }
    throw new P2pXmlError(`undefined entity reference ${JSON.stringify(match)}`);
  });
}
