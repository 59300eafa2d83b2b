import type { NodeRef, OverlayMessage } from '../overlay.ts';
import { NoRouteError, PeerRefusedError, TooManyHopsError, UnexpectedReplyError } from './chord-errors.ts';
import { isPeerFailure, type ChordCore } from './chord-core.ts';
import type { Step } from './chord-tables.ts';
import { readNode, readNodes, readOptionalNode } from './message-fields.ts';
import { toRef, type Peer } from './peer.ts';
import { toId } from './ring.ts';

export interface LookupResult {
  owner: Peer;
  /** The node just before the owner, when the last node asked knew it. */
  predecessor: Peer | null;
  /** The nodes after the owner (from the last answer): where its replicas live. */
  successors: Peer[];
  /** FindSuccessor requests sent (0 when my own tables knew the owner). */
  hops: number;
  /** The nodes asked, in order, including any that did not answer. */
  path: NodeRef[];
}

export interface LookupOptions {
  /** Nodes known dead for this lookup; grows as hops fail. */
  avoid?: Map<string, NodeRef>;
  /** Ask this node first instead of my own tables (a joining node has none yet). */
  start?: NodeRef;
}

/**
 * find_successor, iterative (the paper's forward model: "Requests to each node are either
 * forwarded, or accepted with a success or failure", and the querying node follows the forward
 * itself). Each hop names the owner or a closer node. A hop that does not answer is avoided, and
 * the node before it is asked again, so one dead finger costs a detour, not the lookup. At most
 * settings.maxForwards nodes are asked (Max-Forwards; 483 beyond).
 */
export async function findSuccessor(
  core: ChordCore,
  key: bigint,
  options: LookupOptions = {},
): Promise<LookupResult> {
  const avoid = options.avoid ?? new Map<string, NodeRef>();
  const path: NodeRef[] = [];
  /** Nodes that answered a step, latest last; null stands for my own tables. */
  const trail: Array<NodeRef | null> = [options.start ?? null];
  const maxHops = core.settings.maxForwards;
  let hops = 0;
  while (trail.length > 0) {
    const at = trail[trail.length - 1];
    let step: Step;
    if (at === null) {
      step = core.tables.step(key, avoid);
    } else {
      if (hops >= maxHops) throw new TooManyHopsError('Lookup', hops);
      hops++;
      path.push(toRef(at));
      try {
        const request = { kind: 'FindSuccessor' as const, key: toId(key), avoid: [...avoid.values()] };
        step = readStep(at, await core.call(at, request));
      } catch (error) {
        if (!isPeerFailure(error)) throw error;
        avoid.set(at.id, toRef(at));
        // 480 is also a hop's "no route: every node I know is to be avoided" (docs/PROTOCOL.md,
        // FindSuccessor): it answered, so it is alive and stays in my tables. Taking it for a
        // departure dropped live nodes by the dozen while a ring healed from mass failures;
        // a node really out of the ring answers my next refresh with 480 and is dropped then.
        if (!(error instanceof PeerRefusedError && error.status === 480)) core.suspect(at, error);
        trail.pop();
        continue;
      }
    }
    if (step === null) {
      trail.pop();
      continue;
    }
    if ('owner' in step) return { ...step, hops, path };
    const next = step.next;
    if (avoid.has(next.id)) {
      trail.pop();
    } else if (next.id === core.self.id) {
      // Someone thinks I am closest: my own tables take the next step (a joining node has none).
      if (core.state !== 'joined') throw new NoRouteError(toId(key), avoid.size);
      trail.push(null);
    } else {
      trail.push(next);
    }
    if (trail.length > 4 * maxHops) throw new TooManyHopsError('Lookup', hops);
  }
  throw new NoRouteError(toId(key), avoid.size);
}

function readStep(from: NodeRef, reply: OverlayMessage): Step {
  if (reply.kind === 'FindSuccessorOK') {
    return {
      owner: readNode(reply, 'owner'),
      predecessor: readOptionalNode(reply, 'predecessor'),
      successors: readNodes(reply, 'successors'),
    };
  }
  if (reply.kind === 'FindSuccessorForward') return { next: readNode(reply, 'next') };
  throw new UnexpectedReplyError(from, 'FindSuccessorOK or FindSuccessorForward', reply.kind);
}
