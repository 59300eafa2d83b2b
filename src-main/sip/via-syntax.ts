import { clip, isToken, paramProblem, splitOutside } from './sip-syntax.ts';

/**
 * RFC 3261 section 25.1:
 *
 *   Via           = ( "Via" / "v" ) HCOLON via-parm *(COMMA via-parm)
 *   via-parm      = sent-protocol LWS sent-by *( SEMI via-params )
 *   sent-protocol = protocol-name SLASH protocol-version SLASH transport
 *   sent-by       = host [ COLON port ]
 *
 * Every Via value must hold, not only the top one: a proxy copies them all into responses and
 * pops them one by one. Empty elements (RFC 4475 3.1.2.1 badinv01: "Via: SIP/2.0/UDP
 * 192.0.2.15;;,;,,") are errors. Unknown transports are fine (RFC 4475 3.1.1.10).
 */
export function viaProblem(headerValue: string): string | undefined {
  const values = splitOutside(headerValue, ',');
  if (!values) return 'unterminated quoted string in Via';
  for (const value of values) {
    const problem = viaParmProblem(value.trim());
    if (problem) return problem;
  }
  return undefined;
}

const SENT_PROTOCOL = /^([^\s/]+)\s*\/\s*([^\s/]+)\s*\/\s*([^\s/;]+)\s+/;
const HOST = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?:\s*:\s*(\d{1,5}))?\s*/;

function viaParmProblem(value: string): string | undefined {
  if (value === '') return 'empty Via value';
  const sp = SENT_PROTOCOL.exec(value);
  if (!sp) return `Via "${clip(value)}" has no sent-protocol and sent-by`;
  const [, name, version, transport] = sp;
  if (!isToken(name) || !isToken(version) || !isToken(transport))
    return `Via "${clip(value)}" has a bad sent-protocol`;
  if (name.toUpperCase() !== 'SIP' || version !== '2.0')
    return `Via speaks ${clip(name)}/${clip(version)}, not SIP/2.0`;
  const rest = value.slice(sp[0].length);
  const sentBy = HOST.exec(rest);
  if (!sentBy || sentBy[0] === '') return `Via "${clip(value)}" has no sent-by host`;
  if (sentBy[2] !== undefined && Number(sentBy[2]) > 65535) return `Via port ${sentBy[2]} is out of range`;
  const problem = paramProblem(rest.slice(sentBy[0].length));
  return problem ? `Via: ${problem}` : undefined;
}
