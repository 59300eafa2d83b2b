import { readBindings, readId, readNumber, readText } from '../chord/message-fields.ts';
import { toRef } from '../chord/peer.ts';
import type { NodeRef, OverlayMessage } from '../overlay.ts';
import { readNews } from './member-fields.ts';
import { isPeerFailure, type OneHopCore } from './onehop-core.ts';
import {
  MemberRefusedError,
  OneHopError,
  OneHopJoinFailedError,
  TooManyHopsError,
  UnexpectedAnswerError,
} from './onehop-errors.ts';

/**
 * Joining, paper section 4.2 and Figure 3: ask a bootstrap node; it knows every member, so it
 * either is my successor and answers with the whole table (the "successXML", Figure 3 (b)), or
 * names my successor (a forward, Figure 3 (c)), which does. Then every member is told.
 */
export async function join(core: OneHopCore, bootstrap: readonly NodeRef[]): Promise<void> {
  core.state = 'joining';
  const tried: Array<{ node: NodeRef; reason: string }> = [];
  let status = 480;
  for (const node of bootstrap) {
    if (node.url === core.self.url || node.id === core.self.id) continue;
    try {
      const { at, list } = await askForList(core, node);
      takePlace(core, at, list);
      await announce(core, at);
      return;
    } catch (error) {
      if (!(error instanceof OneHopError) && !isPeerFailure(error)) throw error;
      tried.push({ node: toRef(node), reason: error.message });
      status = error instanceof OneHopError ? error.status : 408;
      if (status === 409) break; // my NodeID is a live member's: every bootstrap node will say so
    }
  }
  core.state = 'failed';
  throw new OneHopJoinFailedError(status, tried);
}

/**
 * Figure 3 (a) to (c): "If it is a P2P forward message [...] the joining node, sends a REGISTER
 * message to the address obtained in the P2P body of the REGISTER reply. This step is continued
 * until the joining node receives a P2P success or a failure". With full membership one forward
 * is the rule; more only while a join elsewhere moves my successor.
 */
async function askForList(
  core: OneHopCore,
  bootstrap: NodeRef,
): Promise<{ at: NodeRef; list: OverlayMessage }> {
  const { self, settings } = core;
  const request = { kind: 'BootstrapRegRequest' as const, nodeId: self.id, nodeUrl: self.url };
  let at: NodeRef = bootstrap;
  let waits = 0;
  for (let forwards = 0; forwards < settings.maxForwards; forwards++) {
    let reply: OverlayMessage;
    try {
      reply = await core.call(at, request, { maxForwards: settings.maxForwards - forwards });
    } catch (error) {
      // The successor the bootstrap node named is silent: it has crashed, and the members have
      // not noticed yet (they will within `failures` refreshes). Wait a refresh and ask again.
      if (at === bootstrap || !isPeerFailure(error) || waits > settings.failures) throw error;
      waits++;
      await new Promise<void>((resolve) => core.components.schedule(core.refreshMs, resolve));
      at = bootstrap;
      continue;
    }
    if (reply.kind === 'MemberList') return { at, list: reply };
    if (reply.kind !== 'BootstrapForward')
      throw new UnexpectedAnswerError(at, 'MemberList or BootstrapForward', reply.kind);
    const next = { id: readId(reply, 'nodeId'), url: readText(reply, 'nodeUrl') };
    if (next.id === self.id) throw new MemberRefusedError(at, 409, 'this NodeID is a member already');
    at = next;
  }
  throw new TooManyHopsError('Join', settings.maxForwards);
}

/**
 * Figure 3 (b): "it inserts itself into the P2P structure". My table is my successor's; my
 * incarnation is at least the one it gave me (above any tombstone of an earlier run of mine);
 * the bindings it handed over are those of my range and the replicas I must hold.
 */
function takePlace(core: OneHopCore, successor: NodeRef, list: OverlayMessage): void {
  const news = readNews(list);
  const bindings = readBindings(list, 'bindings');
  const refreshRate = readNumber(list, 'refreshRate');
  if (!news.alive.some((m) => m.id === successor.id))
    throw new UnexpectedAnswerError(successor, 'a MemberList naming its sender', 'one without it');
  // My successor recorded me at the incarnation it names; I take it, so that we agree at once.
  core.reset(news.alive.find((m) => m.id === core.self.id)?.incarnation);
  core.learn(news);
  core.news.clear(); // the table is news to nobody; my own arrival is, and announce() says it
  core.mergeBindings(bindings);
  if (Number.isInteger(refreshRate) && refreshRate >= 1) core.refreshMs = refreshRate * 1000;
  core.state = 'joined';
}

/**
 * Figure 3 (d), "sending out requests to update [the tables] of other relevant nodes": with full
 * membership every member is relevant. Each gets a Gossip naming me; its answer is its view, so
 * this is also my first check of every entry. What is lost here the gossip and digests repair.
 */
async function announce(core: OneHopCore, successor: NodeRef): Promise<void> {
  const me = core.selfRecord();
  await Promise.all(
    core.members.others().map(async (member) => {
      if (member.id === successor.id) return;
      const gossip = {
        kind: 'Gossip' as const,
        digest: core.members.digest(),
        alive: [me],
        failed: [],
        left: [],
      };
      try {
        const answer = await core.call(member, gossip, { attempts: 1 });
        if (answer.kind === 'Gossip') core.learn(readNews(answer));
      } catch (error) {
        if (!isPeerFailure(error)) throw error;
        core.failed(member, error);
      }
    }),
  );
  // The members I could not reach hear of me through the others.
  core.news.add('alive', core.selfRecord());
}
