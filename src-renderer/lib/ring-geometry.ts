/**
 * Where a NodeID sits on the Chord ring: identifiers are 160-bit numbers (SHA-1), drawn clockwise
 * from the top. The first 13 hex digits (52 bits) are all a double can hold, and far more than a
 * few hundred pixels can show.
 */
export function ringFraction(id: string): number {
  const head = id
    .replace(/[^0-9a-fA-F]/g, '')
    .slice(0, 13)
    .padEnd(13, '0');
  return parseInt(head, 16) / 16 ** 13;
}

export interface Point {
  x: number;
  y: number;
}

/** The point at `fraction` of the way round a circle, starting at the top, going clockwise. */
export function pointOnRing(fraction: number, center: Point, radius: number): Point {
  const angle = fraction * 2 * Math.PI - Math.PI / 2;
  return { x: center.x + radius * Math.cos(angle), y: center.y + radius * Math.sin(angle) };
}

/** A chord from `from` to `to`, bowed toward the centre so that chords to near nodes stay visible. */
export function chordPath(from: Point, to: Point, center: Point): string {
  const mid = { x: (from.x + to.x) / 2, y: (from.y + to.y) / 2 };
  const control = { x: mid.x + (center.x - mid.x) * 0.6, y: mid.y + (center.y - mid.y) * 0.6 };
  const r = (n: number) => Math.round(n * 10) / 10;
  return `M ${r(from.x)} ${r(from.y)} Q ${r(control.x)} ${r(control.y)} ${r(to.x)} ${r(to.y)}`;
}
