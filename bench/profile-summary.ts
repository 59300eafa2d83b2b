/**
 * Where a process's CPU time went, from a V8 profile (`chordline bench register --cpu-prof DIR`):
 *
 *   node --import tsx bench/profile-summary.ts DIR/CPU.….cpuprofile
 *
 * Each sample is charged to the first category found walking from the running function up its
 * stack, so library time counts as the library's whoever called it; then the functions that
 * took the most time of their own, and the time spent inside a few functions worth watching.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const CATEGORIES: Array<[name: string, test: (f: ProfileNode['callFrame']) => boolean]> = [
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  ['RSA sign (node:crypto)', (f) => f.functionName === 'signOneShot'],
  ['RSA verify (node:crypto)', (f) => f.functionName === 'verifyOneShot'],
  ['sip.js: parsing', (f) => /sip\.js\/lib\/(grammar|core\/messages)/.test(f.url)],
  ['sip.js: transactions', (f) => f.url.includes('sip.js/')],
  ['XML build (xmlbuilder2)', (f) => /xmlbuilder2|@oozcitak/.test(f.url)],
  ['XML parse (fast-xml-parser)', (f) => f.url.includes('fast-xml-parser')],
  ['certificates (node-forge)', (f) => f.url.includes('node-forge')],
  ['SQLite (better-sqlite3)', (f) => f.url.includes('better-sqlite3')],
  ['UDP send/receive (node:dgram)', (f) => f.url === 'node:dgram' || f.url.endsWith('sip/udp-transport.ts')],
  ['Chordline sip/', (f) => f.url.includes('/src-main/sip/')],
  ['Chordline overlay/xml/', (f) => f.url.includes('/src-main/overlay/')],
  ['Chordline trust/ and app/', (f) => /\/src-main\/(trust|app|keystore)\//.test(f.url)],
  ['module loading (tsx, startup)', (f) => /tsx\/|modules\/esm|modules\/cjs/.test(f.url)],
];

const WATCHED = [
  'receive',
  'onRegister',
  'handleRegister',
  'verifyRequest',
  'respondSigned',
  'buildP2pXml',
  'parseP2pXml',
  'fillSignature',
  'locateEnvelopeSignature',
  'validateRequest',
  'issueCertificate',
  'recordCertificate',
];

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node --import tsx bench/profile-summary.ts FILE.cpuprofile\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const byCategory = new Map<string, number>();
const self = new Map<string, number>();
const inside = new Map<string, number>();
let busy = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const leaf = byId.get(profile.samples[i]);
  const us = profile.timeDeltas[i] ?? 0;
  if (!leaf || leaf.callFrame.functionName === '(idle)') continue;
  busy += us;
  const stack: ProfileNode[] = [];
  for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) stack.push(byId.get(id)!);
  const category =
    stack.map((n) => CATEGORIES.find(([, test]) => test(n.callFrame))?.[0]).find((c) => c !== undefined) ??
    'other';
  byCategory.set(category, (byCategory.get(category) ?? 0) + us);
  const name = `${leaf.callFrame.functionName || '(anonymous)'} ${shortUrl(leaf.callFrame.url)}`;
  self.set(name, (self.get(name) ?? 0) + us);
  for (const watched of new Set(
    stack.map((n) => n.callFrame.functionName).filter((f) => WATCHED.includes(f)),
  ))
    inside.set(watched, (inside.get(watched) ?? 0) + us);
}

const line = (us: number, what: string) =>
  `${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / busy).toFixed(1).padStart(5)} %  ${what}`;
process.stdout.write(`busy ${(busy / 1000).toFixed(0)} ms (idle excluded)\n\nby category:\n`);
for (const [what, us] of [...byCategory].sort((a, b) => b[1] - a[1]))
  process.stdout.write(line(us, what) + '\n');
process.stdout.write('\nown time, top 15:\n');
for (const [what, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15))
  process.stdout.write(line(us, what) + '\n');
process.stdout.write('\ninside (inclusive):\n');
for (const [what, us] of [...inside].sort((a, b) => b[1] - a[1])) process.stdout.write(line(us, what) + '\n');

function shortUrl(url: string): string {
  return url.replace(/^.*node_modules\//, '').replace(/^.*\/src-main\//, 'src-main/');
}
