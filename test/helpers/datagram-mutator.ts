/**
 * Seeded mutations of SIP messages for fuzzing: the same seed gives the same datagrams, so a
 * failure names the seed and index that reproduce it.
 */

/** mulberry32: small, fast, and good enough to pick mutations. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The largest datagram a mutation may produce (an IPv4 UDP payload is at most 65507 octets). */
const MAX_SIZE = 65000;

/** Octets that mean something to a SIP parser, so that flips hit structure more often than chance. */
const STRUCTURAL = [
  '\r',
  '\n',
  '\r\n',
  ' ',
  '\t',
  ':',
  ';',
  ',',
  '"',
  '\\',
  '<',
  '>',
  '@',
  '=',
  '/',
  '%',
  '\0',
  '\xff',
];

export interface Mutation {
  name: string;
  apply(text: string, random: () => number): string;
}

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)];
const at = (text: string, random: () => number) => Math.floor(random() * (text.length + 1));

function mapLines(text: string, edit: (lines: string[]) => void): string {
  const end = text.indexOf('\r\n\r\n');
  const head = end < 0 ? text : text.slice(0, end);
  const rest = end < 0 ? '' : text.slice(end);
  const lines = head.split('\r\n');
  edit(lines);
  return lines.join('\r\n') + rest;
}

export const MUTATIONS: readonly Mutation[] = [
  {
    name: 'flip random bytes',
    apply: (text, random) => {
      const chars = text.split('');
      const n = 1 + Math.floor(random() * 8);
      for (let i = 0; i < n && chars.length > 0; i++) {
        chars[Math.floor(random() * chars.length)] = String.fromCharCode(Math.floor(random() * 256));
      }
      return chars.join('');
    },
  },
  {
    name: 'insert structural characters',
    apply: (text, random) => {
      let out = text;
      const n = 1 + Math.floor(random() * 4);
      for (let i = 0; i < n; i++) {
        const p = at(out, random);
        out = out.slice(0, p) + pick(STRUCTURAL, random) + out.slice(p);
      }
      return out;
    },
  },
  {
    name: 'truncate',
    apply: (text, random) => text.slice(0, Math.floor(random() * text.length)),
  },
  {
    name: 'duplicate a header line',
    apply: (text, random) =>
      mapLines(text, (lines) => {
        if (lines.length < 2) return;
        const i = 1 + Math.floor(random() * (lines.length - 1));
        const copies = random() < 0.8 ? 1 : 1 + Math.floor(random() * 200);
        lines.splice(i, 0, ...Array<string>(copies).fill(lines[i]));
      }),
  },
  {
    name: 'delete a line',
    apply: (text, random) =>
      mapLines(text, (lines) => void lines.splice(Math.floor(random() * lines.length), 1)),
  },
  {
    name: 'swap two lines',
    apply: (text, random) =>
      mapLines(text, (lines) => {
        const i = Math.floor(random() * lines.length);
        const j = Math.floor(random() * lines.length);
        [lines[i], lines[j]] = [lines[j], lines[i]];
      }),
  },
  {
    name: 'huge header value',
    apply: (text, random) =>
      mapLines(text, (lines) => {
        const size = Math.floor(random() * 60000);
        const filler = pick(['a', ';', ',', '"', '<', ' ', '%', 'x;y=', '\\'], random).repeat(size);
        if (random() < 0.5 && lines.length > 1) {
          const i = 1 + Math.floor(random() * (lines.length - 1));
          lines[i] += filler;
        } else {
          lines.splice(1, 0, `X-Huge: ${filler}`);
        }
      }),
  },
  {
    name: 'outlandish number',
    apply: (text, random) => {
      const numbers = [...text.matchAll(/\d+/g)];
      if (numbers.length === 0) return text;
      const m = pick(numbers, random);
      const replacement = pick(
        ['-1', '0', '99999999999999999999999', '4294967296', '1e9', '0x10', ''],
        random,
      );
      return text.slice(0, m.index) + replacement + text.slice((m.index ?? 0) + m[0].length);
    },
  },
  {
    name: 'fold a line',
    apply: (text, random) => {
      const lineBreaks = [...text.matchAll(/\r\n/g)].map((m) => m.index ?? 0);
      if (lineBreaks.length === 0) return text;
      const p = pick(lineBreaks, random);
      return text.slice(0, p) + '\r\n ' + text.slice(p + 2);
    },
  },
];

/** One to three mutations of one of the seeds, kept under the datagram limit. */
export function mutate(seeds: readonly string[], random: () => number): { text: string; applied: string[] } {
  let text = pick(seeds, random);
  const applied: string[] = [];
  const rounds = 1 + Math.floor(random() * 3);
  for (let i = 0; i < rounds; i++) {
    const mutation = pick(MUTATIONS, random);
    text = mutation.apply(text, random);
    applied.push(mutation.name);
  }
  return { text: text.slice(0, MAX_SIZE), applied };
}
