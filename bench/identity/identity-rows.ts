import { spread } from '../summary.ts';
import type { SummaryRow } from '../summary-table.ts';
import type { AlgorithmAtSize, IdentityRun, IdentitySize } from './run.ts';
import type { SwitchTime } from './switch-time.ts';

/**
 * The identity benchmark's lines of the summary: for each size, chord and onehop side by side
 * ("chord | onehop" in the median and spread columns), then the two switches. A value a run could
 * not measure (a switch that did not finish, an algorithm never reached) is left out of its
 * median, and a line says how many runs lacked it.
 */
export function identityRows(runs: IdentityRun[]): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const sizes = [...new Set(runs.flatMap((r) => r.sizes.map((s) => s.peers)))];
  for (const peers of sizes) {
    const at = runs
      .map((r) => r.sizes.find((s) => s.peers === peers))
      .filter((s): s is IdentitySize => s !== undefined);
    const first = at[0];
    const bound = 0.5 * Math.log2(peers) + 1;
    rows.push({
      what: `identity layer, ${peers} peers (refresh ${first.refreshMs / 1000} s):`,
      median: 'chord | onehop',
      spread: 'chord | onehop',
      runs: at.length,
    });
    const fresh = at.filter((s) => s.onehop?.freshPeers).length;
    if (fresh > 0)
      rows.push({
        what: '  onehop measured on fresh peers (the switch to it did not finish)',
        median: `${fresh} runs`,
        spread: '',
        runs: at.length,
      });
    const side = (
      what: string,
      pick: (a: AlgorithmAtSize) => number | undefined,
      unit: string,
      digits = 0,
    ): void => {
      const both = (['chord', 'onehop'] as const).map((name) =>
        at.map((s) => (s[name] ? pick(s[name]) : undefined)).filter((v): v is number => Number.isFinite(v)),
      );
      if (both.every((values) => values.length === 0)) return;
      const f = (v: number) => v.toFixed(digits);
      const column = (key: 'median' | 'range') =>
        both
          .map((values) => {
            if (values.length === 0) return '–';
            const s = spread(values);
            return key === 'median' ? f(s.median) : `${f(s.min)}–${f(s.max)}`;
          })
          .join(' | ');
      rows.push({
        what: `  ${what}`,
        median: unit ? `${column('median')} ${unit}` : column('median'),
        spread: column('range'),
        runs: Math.max(...both.map((values) => values.length)),
      });
    };
    side(`lookup hops, mean (½·log2 N + 1 = ${bound.toFixed(2)})`, (a) => a.lookups.meanHops, '', 2);
    side('lookup hops p95', (a) => a.lookups.p95Hops, '');
    side('lookup latency p50', (a) => a.lookups.p50Ms, 'ms', 2);
    side('lookup latency p95', (a) => a.lookups.p95Ms, 'ms', 2);
    side('lookups to a wrong owner or failed', (a) => a.lookups.failures, '');
    side('binding fetch, get(AOR): p50', (a) => a.bindingLookups.p50Ms, 'ms', 1);
    side('binding fetch, get(AOR): p95', (a) => a.bindingLookups.p95Ms, 'ms', 1);
    side('call setup, INVITE to 200 OK: p50', (a) => a.calls.p50Ms, 'ms', 1);
    side('  peers between caller and callee, mean', (a) => a.calls.meanHops, '', 2);
    const period = `${first.defaultRefreshMs / 1000} s`;
    side(`idle peer at ${period} refresh: bytes sent`, (a) => a.maintenance.bytesSentPerPeerPerSecond, 'B/s');
    side(
      `idle peer at ${period} refresh: SIP requests sent`,
      (a) => a.maintenance.requestsPerSecond / a.maintenance.peers,
      '/s',
      3,
    );
    side(
      `idle peer at ${first.refreshMs / 1000} s refresh (the lab's): bytes sent`,
      (a) => a.joinCost.background.bytesSentPerPeerPerSecond,
      'B/s',
    );
    side(`SIP requests per join (${first.measuredJoins} joins)`, (a) => a.joinCost.requestsPerJoin, '');
    side("  less the newcomer's own refreshes", (a) => a.joinCost.net.requestsPerJoin, '');
    side('datagrams per join', (a) => a.joinCost.datagramsPerJoin, '');
    side('bytes sent per join', (a) => a.joinCost.bytesPerJoin / 1000, 'kB', 1);
    side("  less the newcomer's own refreshes", (a) => a.joinCost.net.bytesPerJoin / 1000, 'kB', 1);
    const lists = at.flatMap((s) => (s.memberList ? [s.memberList] : []));
    if (lists.length > 0) {
      const s = spread(lists.map((l) => l.bodyBytes / 1000));
      rows.push({
        what: `  onehop MemberList body (${lists[0].bytesPerMember.toFixed(0)} B a member; 64 KiB at ${lists[0].ceiling})`,
        median: `${s.median.toFixed(1)} kB`,
        spread: `${s.min.toFixed(1)}–${s.max.toFixed(1)}`,
        runs: lists.length,
      });
    }
    switchRows(
      rows,
      'chord → onehop',
      at.map((s) => s.toOnehop),
    );
    switchRows(
      rows,
      'onehop → chord',
      at.map((s) => s.toChord),
    );
    const stopped = at.filter((s) => s.problems.length > 0).length;
    if (stopped > 0)
      rows.push({
        what: '  runs with a problem (see the log or --json)',
        median: String(stopped),
        spread: '',
        runs: at.length,
      });
  }
  return rows;
}

function switchRows(rows: SummaryRow[], what: string, switches: Array<SwitchTime | null>): void {
  const tried = switches.filter((s): s is SwitchTime => s !== null);
  if (tried.length === 0) return;
  const add = (label: string, values: number[], unit: string, digits: number) => {
    if (values.length === 0) return;
    const s = spread(values);
    rows.push({
      what: `  ${label}`,
      median: `${s.median.toFixed(digits)} ${unit}`,
      spread: `${s.min.toFixed(digits)}–${s.max.toFixed(digits)}`,
      runs: values.length,
    });
  };
  const seconds = (pick: (s: SwitchTime) => number | null) =>
    tried
      .map(pick)
      .filter((v): v is number => v !== null)
      .map((ms) => ms / 1000);
  const first = tried[0];
  add(
    `switch ${what}: every peer done (RetireAfter ${first.retireAfterMs / 1000} s)`,
    seconds((s) => s.doneMs),
    's',
    1,
  );
  add(
    '  every peer heard the announcement (the flood)',
    seconds((s) => s.heardMs),
    's',
    1,
  );
  add(
    `  every peer moved to ${first.to}`,
    seconds((s) => s.movedMs),
    's',
    1,
  );
  add(
    '  in refresh periods, every peer done',
    tried.flatMap((s) => (s.doneMs === null ? [] : [s.doneMs / s.refreshMs])),
    '',
    1,
  );
  add(
    '  SIP requests per peer meanwhile',
    tried.map((s) => s.requestsPerPeer),
    '',
    0,
  );
  const unfinished = tried.filter((s) => s.doneMs === null);
  if (unfinished.length > 0)
    rows.push({
      what: `  switch ${what} not done within ${first.timeoutMs / 1000} s`,
      median: `${unfinished.length} runs`,
      spread: `${unfinished[0].pending} peers still switching`,
      runs: tried.length,
    });
}
