import type { Peer } from '../chord/peer.ts';
import { handBack } from './bindings.ts';
import { readDigest, readNews } from './member-fields.ts';
import type { Member } from './membership.ts';
import { isPeerFailure, type OneHopCore } from './onehop-core.ts';
import { handOver, replicate } from './replication.ts';

/**
 * One refresh period (the paper's RefreshRate): probe a few members with Gossip (the paper's
 * REGISTER refresh, carrying membership news both ways), pull a neighbour's whole table if our
 * views have kept differing, bring replicas up to date, hand back misplaced bindings, and forget
 * what expired.
 */
export async function refresh(core: OneHopCore): Promise<void> {
  if (core.state !== 'joined') return;
  await probe(core);
  await sync(core);
  await handOver(core);
  await replicate(core);
  await handBack(core);
  core.store.purge(core.now());
  core.tidy();
}

/** How far past silent neighbours a probe round reaches, each way. */
const MAX_RUN = 8;

/**
 * Who is probed: my successor and predecessor in id order, so that every member is probed by two
 * others each period and a crash is found within `failures` periods; past a neighbour that missed
 * a probe, the next one too (up to MAX_RUN each way), so that a run of crashed neighbours is
 * found in the same periods rather than one after the other; and `randomProbes` more, round-robin
 * over the others (SWIM's randomised round-robin bounds the time to reach anyone), which spreads
 * news beyond the neighbours.
 */
export function probeTargets(core: OneHopCore): Member[] {
  const { members, settings } = core;
  const chosen = new Map<string, Member>();
  for (const step of [1, -1] as const) {
    for (const m of members.walk(step).slice(0, MAX_RUN)) {
      chosen.set(m.id, m);
      if (!core.missed(m.id)) break;
    }
  }
  const others = members.others().filter((m) => !chosen.has(m.id));
  for (let k = 0; k < Math.min(settings.randomProbes, others.length); k++) {
    const m = others[(core.probeCursor + k) % others.length]!;
    chosen.set(m.id, m);
  }
  core.probeCursor = others.length === 0 ? 0 : (core.probeCursor + settings.randomProbes) % others.length;
  return [...chosen.values()];
}

async function probe(core: OneHopCore): Promise<void> {
  let differing: Peer | null = null;
  await Promise.all(
    probeTargets(core).map(async (member) => {
      try {
        const answer = await core.call(member, core.gossipFor(member));
        if (answer.kind !== 'Gossip') return;
        core.learn(readNews(answer));
        if (readDigest(answer) !== core.members.digest()) differing = member;
      } catch (error) {
        if (!isPeerFailure(error)) throw error;
        core.failed(member, error);
      }
    }),
  );
  core.mismatches = differing ? core.mismatches + 1 : 0;
  core.mismatchWith = differing;
}

/**
 * Anti-entropy for the membership itself: news rides in a bounded number of Gossips, so under
 * loss a member may miss some. A view that has differed from a neighbour's for `syncAfter`
 * periods in a row (longer than news takes to settle) is reconciled with the neighbour's table.
 */
async function sync(core: OneHopCore): Promise<void> {
  const peer = core.mismatchWith;
  if (core.mismatches < core.settings.syncAfter || !peer || !core.members.isAlive(peer.id)) return;
  core.mismatches = 0;
  try {
    const list = await core.call(peer, { kind: 'GetMembers' });
    if (list.kind === 'MemberList') core.learn(readNews(list));
  } catch (error) {
    if (!isPeerFailure(error)) throw error;
    core.failed(peer, error);
  }
}
