/** The first hex digits of a NodeID: enough to tell peers apart on a screen. */
export function shortNodeId(id: string, digits = 8): string {
  return id.length > digits ? `${id.slice(0, digits)}…` : id;
}

/** A long hex string in groups of four, so a person can compare it by eye. */
export function groupHex(hex: string, size = 4): string {
  return hex.match(new RegExp(`.{1,${size}}`, 'g'))?.join(' ') ?? hex;
}

/** A fingerprint as certificate tools print it: AB:CD:EF... */
export function colonHex(hex: string): string {
  return (hex.match(/.{1,2}/g) ?? []).join(':').toUpperCase();
}
