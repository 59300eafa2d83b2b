import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../../../src-main/app/lab/wait-until.ts';
import type { OverlayFactory } from '../../../src-main/overlay/overlay.ts';
import type { TraceEvent } from '../../../src-main/sip/index.ts';
import { startPeers } from '../../helpers/peers.ts';
import { presenceMember, presenceRingFormed } from './presence-peers.ts';
import type { PresenceMember, PresencePeers } from './presence-peers.ts';

/**
 * 16 peers, each watching the next 4 in the list (PRESENCE_TRAFFIC_PEERS=32 for a larger ring,
 * to see the lookups grow with it).
 */
const PEERS = Number(process.env.PRESENCE_TRAFFIC_PEERS ?? 16);
const CONTACTS = 4;
/** The whole network shares one process (2 cores): the period grows with it, the load per second does not. */
const PERIOD = 100 * PEERS;
const MEASURED_PERIODS = 10;

/** What one peer sent in the presence layer, counted from its SIP trace and its ring's route(). */
class Traffic {
  /** Presence-layer REGISTERs sent, by message (retransmissions not counted). */
  readonly sent = new Map<string, number>();
  /** Lookups made for the presence service (route(), not the ring's own upkeep) and their hops. */
  lookups = 0;
  lookupHops = 0;
  private readonly branches = new Set<string>();

  readonly trace = (event: TraceEvent): void => {
    if (event.direction !== 'out' || !event.text.startsWith('REGISTER ')) return;
    const kind = /<Overlay layer="presence" algorithm="chord"><(\w+)/.exec(event.text)?.[1];
    const branch = /;branch=([^;\s]+)/.exec(event.text)?.[1];
    if (!kind || !branch || this.branches.has(branch)) return;
    this.branches.add(branch);
    this.sent.set(kind, (this.sent.get(kind) ?? 0) + 1);
  };

  /** The ring's route(), counted: the service's lookups are the only callers of it. */
  readonly wrap = (factory: OverlayFactory): OverlayFactory => {
    return (components) => {
      const ring = factory(components);
      const route = ring.route.bind(ring);
      ring.route = async (key) => {
        const found = await route(key);
        this.lookups++;
        this.lookupHops += found.hops;
        return found;
      };
      return ring;
    };
  };

  reset(): void {
    this.sent.clear();
    this.lookups = 0;
    this.lookupHops = 0;
  }

  count(kind: string): number {
    return this.sent.get(kind) ?? 0;
  }

  total(): number {
    return [...this.sent.values()].reduce((a, b) => a + b, 0);
  }
}

const SERVICE = ['PublishPresence', 'SubscribePresence', 'PresenceNotify'] as const;

/**
 * Measures what the presence service sends per peer and refresh period, idle (nobody comes or
 * goes), over real UDP: docs/PROTOCOL.md section 11, "Costs". Prints the numbers; fails if the
 * service needs more than about one request per publication or subscription (each refresh
 * looking its rendezvous node up again through the ring would cost ½·log2 N more).
 */
describe('what presence costs, idle', () => {
  let net: PresencePeers | undefined;
  afterEach(() => net?.stop());

  it(`${PEERS} peers each watching ${CONTACTS} contacts: one request per publication and subscription a period, lookups only now and then`, async () => {
    const names = Array.from({ length: PEERS }, (_, i) => `p${String(i + 1).padStart(2, '0')}`);
    net = await startPeers(names);
    const traffic = names.map(() => new Traffic());
    const members: PresenceMember[] = [];
    for (const [i, name] of names.entries()) {
      const t = traffic[i]!;
      members.push(
        await presenceMember(net, name, { periodMs: PERIOD, identity: 'none', trace: t.trace, wrap: t.wrap }),
      );
    }
    expect(await presenceRingFormed(members), 'the presence ring formed').toBe(true);
    const contactsOf = (i: number) =>
      Array.from({ length: CONTACTS }, (_, c) => members[(i + 1 + c) % PEERS]!.aor);
    await Promise.all(
      members.map((m, i) => Promise.all(contactsOf(i).map((aor) => m.presence.watcher.watch(aor)))),
    );
    const allOnline = () =>
      members.every((m, i) => contactsOf(i).every((aor) => m.presence.watcher.of(aor)?.status === 'online'));
    const online = await waitUntil(allOnline, { timeoutMs: 30_000, pollMs: 100 });
    expect(online, 'every contact online').toBe(true);
    // Two periods for the copies left while the ring formed to lapse, then count.
    await waitUntil(() => false, { timeoutMs: 2 * PERIOD, pollMs: PERIOD });
    const changes: string[] = [];
    for (const m of members)
      m.presence.watcher.onChange((p) => changes.push(`${m.name}: ${p.aor} ${p.status}`));
    for (const t of traffic) t.reset();
    const started = performance.now();
    await waitUntil(() => false, { timeoutMs: MEASURED_PERIODS * PERIOD, pollMs: PERIOD });
    const periods = (performance.now() - started) / PERIOD;

    const perPeer = (f: (t: Traffic) => number) =>
      traffic.reduce((sum, t) => sum + f(t), 0) / PEERS / periods;
    const service = perPeer((t) => SERVICE.reduce((s, k) => s + t.count(k), 0));
    const lookupHops = perPeer((t) => t.lookupHops);
    const row = {
      peers: PEERS,
      contacts: CONTACTS,
      lookups: perPeer((t) => t.lookups),
      lookupFindSuccessor: lookupHops,
      ...Object.fromEntries(SERVICE.map((k) => [k, perPeer((t) => t.count(k))])),
      serviceRequests: service + lookupHops,
      allPresenceRequests: perPeer((t) => t.total()),
    };
    console.log(
      'presence traffic per peer and refresh period, idle:',
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Math.round(v * 100) / 100])),
    );

    expect(allOnline(), 'still every contact online').toBe(true);
    expect(changes).toEqual([]);
    // One PublishPresence and CONTACTS SubscribePresence a period, give or take a refresh that
    // fell on either side of the window; lookups only to revalidate a cached rendezvous node.
    expect(perPeer((t) => t.count('PublishPresence'))).toBeLessThanOrEqual(1.3);
    expect(row.serviceRequests).toBeLessThanOrEqual((1 + CONTACTS) * 1.3);
  }, 120_000);
});
