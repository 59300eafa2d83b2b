import type { Id, NodeRef, OverlayMessage } from '../../overlay/overlay.ts';
import type { PresenceMessage } from '../../overlay/xml/index.ts';
import type { PresenceCarrier } from './presence-carrier.ts';
import { RendezvousUnreachableError } from './presence-errors.ts';
import type { ResolvedPresenceSettings } from './presence-settings.ts';

/**
 * How long a rendezvous node found by a lookup (or named by a Redirect) is asked straight away
 * before it is looked up again, in refresh periods. A rendezvous node that is no longer
 * responsible says so (Redirect), so this is only the safety net for one that does not: a peer
 * of a version that serves any key, or a ring whose nodes disagree about a key for long.
 */
export const LOOKUP_EVERY_PERIODS = 10;

/** Requests one publication or subscription may cost, at most, before the round gives up. */
const MAX_ATTEMPTS = 4;

interface Found {
  node: NodeRef;
  /** When a lookup or a Redirect last named it (carrier clock). */
  namedAt: number;
}

/** Who answered a request at the rendezvous node, and what. */
export interface RendezvousAnswer {
  node: NodeRef;
  answer: OverlayMessage;
}

/**
 * The way from this node to the rendezvous node of each key it publishes or subscribes at: the
 * node found last time, asked in one hop, instead of a lookup through the ring every refresh
 * period (½·log2 N requests more each time).
 *
 * One request:
 * ```
 *   the owner, if my own tables name it (a key near me; no message)
 *   else the node found last time, if named less than LOOKUP_EVERY_PERIODS ago
 *   else a lookup ─────────────────────────────────────────────┐
 *        │                                                     │
 *        ▼                                                     │
 *   send to it ──── answer ──────────────▶ remembered; done    │
 *     ▲  │  │                                                  │
 *     │  │  └── no answer, refused ──▶ a lookup, unless one was made (then: fail)
 *     │  └───── Redirect(Next) ──▶ Next, unless already asked (then: a lookup, or fail)
 *     └────────────────────────────────────────────────────────┘
 * ```
 * At most one lookup per request, and it steps around the node that just failed (a node that
 * left stays in the successor lists of nodes it did not tell for a few periods): a node is not
 * asked twice in one round, so a crashed rendezvous node costs one timeout per refresh, as it did
 * when every refresh looked up.
 */
export class RendezvousCache {
  private readonly found = new Map<Id, Found>();

  constructor(
    private readonly carrier: PresenceCarrier,
    private readonly settings: ResolvedPresenceSettings,
  ) {}

  /**
   * Sends `message` to the rendezvous node of `key` and returns its answer (never a Redirect).
   * `onTry` hears of each node the request goes to, before it goes (a watcher takes a push from
   * the node it is subscribing at). Throws the last node's refusal or timeout, or
   * RendezvousUnreachableError.
   */
  async request(
    key: Id,
    message: PresenceMessage,
    onTry?: (node: NodeRef) => void,
  ): Promise<RendezvousAnswer> {
    const now = this.carrier.now();
    const cached = this.found.get(key);
    // A key near this node: its own tables know the owner, and know of a neighbour that left or
    // a node that joined before the cache could. Farther keys: the node found last time.
    const near = this.carrier.ownerFromTables?.(key);
    let target: Found | undefined = near
      ? { node: near, namedAt: now }
      : cached && now - cached.namedAt < LOOKUP_EVERY_PERIODS * this.settings.refreshMs
        ? cached
        : undefined;
    let lookedUp = false;
    const tried = new Set<Id>();
    /** Nodes that did not answer (or refused): the lookup steps around them. */
    const failed = new Set<Id>();
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (!target) {
        if (lookedUp) break;
        lookedUp = true;
        target = { node: await this.carrier.owner(key, failed), namedAt: now };
        if (tried.has(target.node.id)) break;
      }
      const to = target.node;
      tried.add(to.id);
      onTry?.(to);
      let answer: OverlayMessage;
      try {
        answer = await this.carrier.send(to, message);
      } catch (error) {
        this.found.delete(key);
        if (lookedUp) throw error;
        failed.add(to.id);
        target = undefined;
        continue;
      }
      if (answer.kind !== 'Redirect') {
        this.found.set(key, target);
        return { node: to, answer };
      }
      // "Not mine any more: ask Next" (the key moved, a join took it over).
      this.found.delete(key);
      const next = redirectTarget(answer);
      target = next && !tried.has(next.id) ? { node: next, namedAt: now } : undefined;
    }
    throw new RendezvousUnreachableError(
      key,
      `asked ${[...tried].map((id) => id.slice(0, 8)).join(', ')}; the ring may still be repairing`,
    );
  }

  /** Forgets `key` (no longer published or watched). */
  forget(key: Id): void {
    this.found.delete(key);
  }
}

/** A Redirect's `next`, when it is a node at all (a hostile or buggy one may send anything). */
function redirectTarget(answer: OverlayMessage): NodeRef | undefined {
  const next = answer.next as Partial<NodeRef> | undefined;
  return typeof next?.id === 'string' && typeof next.url === 'string'
    ? { id: next.id, url: next.url }
    : undefined;
}
