/**
 * Just enough reading of a SIP response for a load generator that must stay cheap: the status,
 * and the values of one header field. Messages come from our own stack, so no line folding and
 * no compact forms beyond Call-ID's "i".
 */
export function statusOf(text: string): number {
  return text.startsWith('SIP/2.0 ') ? Number(text.slice(8, 11)) : 0;
}

export function headerValues(text: string, name: string): string[] {
  const end = text.indexOf('\r\n\r\n');
  const lines = text.slice(0, end < 0 ? text.length : end).split('\r\n');
  const wanted = name.toLowerCase();
  const values: string[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === wanted)
      values.push(line.slice(colon + 1).trim());
  }
  return values;
}

export function callIdOf(text: string): string | undefined {
  return (headerValues(text, 'call-id')[0] ?? headerValues(text, 'i')[0])?.trim();
}
