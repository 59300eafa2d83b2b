export interface AltName {
  type: string;
  value: string;
}

/** The identity a Chordline certificate binds: one AOR and one NodeID (ARCHITECTURE.md, certificate). */
export interface CertificateNames {
  /** `sip:<user>@<domain>`, domain in lower case. */
  aor: string;
  /** 40 lowercase hex digits. */
  nodeId: string;
}

/** `sip:user@host`, no port; the user part may hold `;` `?` `&` etc. (RFC 3261 user-unreserved). */
const AOR = /^sip:([^@:\s<>"]+)@([A-Za-z0-9.-]+)$/;
/** The same with URI parameters or headers after the host, as a From URI may have. */
const AOR_WITH_PARAMETERS = /^sip:([^@:\s<>"]+)@([A-Za-z0-9.-]+)(?:[;?].*)?$/;
const NODE_URN = /^urn:chordline:node:([0-9a-f]{40})$/;

/**
 * Splits node:crypto's `X509Certificate.subjectAltName` text (`URI:sip:a@b, URI:urn:…`) into
 * entries, or returns `undefined` if the text does not follow that shape.
 *
 * Since the 2022 security releases Node quotes a value that holds a separator as a JSON string
 * (`URI:"sip:a,b@c"`), exactly so that a crafted certificate cannot smuggle a second name through
 * a comma; we decode those quotes rather than splitting naively on `, `.
 */
export function parseSubjectAltNames(text: string): AltName[] | undefined {
  const names: AltName[] = [];
  let at = 0;
  while (at < text.length) {
    const colon = text.indexOf(':', at);
    if (colon < 0) return undefined;
    const type = text.slice(at, colon);
    at = colon + 1;
    let value: string;
    if (text[at] === '"') {
      const end = closingQuote(text, at);
      if (end < 0) return undefined;
      try {
        value = JSON.parse(text.slice(at, end + 1)) as string;
      } catch {
        return undefined;
      }
      at = end + 1;
    } else {
      const end = text.indexOf(', ', at);
      value = text.slice(at, end < 0 ? text.length : end);
      at = end < 0 ? text.length : end;
    }
    names.push({ type, value });
    if (at < text.length) {
      if (!text.startsWith(', ', at)) return undefined;
      at += 2;
    }
  }
  return names;
}

function closingQuote(text: string, openAt: number): number {
  for (let i = openAt + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

/**
 * The AOR and NodeID named by a Chordline certificate's subjectAltName, or `undefined` unless it
 * names exactly one `sip:` AOR and exactly one `urn:chordline:node:` NodeID and nothing else.
 * Anything more is refused rather than ignored: a certificate that also names a second AOR or a
 * DNS name was not made by our login server.
 */
export function certificateNamesOf(subjectAltName: string | undefined): CertificateNames | undefined {
  if (subjectAltName === undefined) return undefined;
  const names = parseSubjectAltNames(subjectAltName);
  if (names === undefined || names.length !== 2) return undefined;
  let aor: string | undefined;
  let nodeId: string | undefined;
  for (const { type, value } of names) {
    if (type !== 'URI') return undefined;
    const aorMatch = AOR.exec(value);
    const nodeMatch = NODE_URN.exec(value);
    if (aorMatch !== null && aor === undefined) aor = `sip:${aorMatch[1]}@${aorMatch[2].toLowerCase()}`;
    else if (nodeMatch !== null && nodeId === undefined) nodeId = nodeMatch[1];
    else return undefined;
  }
  return aor !== undefined && nodeId !== undefined ? { aor, nodeId } : undefined;
}

/**
 * An AOR in comparable form: angle brackets, URI parameters and headers dropped, domain in lower
 * case (RFC 3261 §19.1.4: the host compares case-insensitively, the user part does not).
 * `undefined` if the text is not a `sip:user@domain` URI.
 */
export function comparableAor(uri: string): string | undefined {
  const match = AOR_WITH_PARAMETERS.exec(uri.trim().replace(/^<(.*)>$/, '$1'));
  return match === null ? undefined : `sip:${match[1]}@${match[2].toLowerCase()}`;
}
