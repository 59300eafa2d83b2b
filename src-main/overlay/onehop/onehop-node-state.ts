/**
 * Where a one-hop node stands with respect to the overlay (paper, section 4.2 and Figure 3, with
 * the whole membership in place of a finger table).
 *
 * ```
 *           create() (the first member)
 *   ┌──────┐ ──────────────────────────────────────┐
 *   │ Idle │                                        ▼
 *   └──────┘  join()  ┌─────────┐  MemberList    ┌────────┐  leave()  ┌─────────┐     ┌──────┐
 *       └───────────► │ Joining │ ─────────────► │ Joined │ ────────► │ Leaving │ ──► │ Left │
 *                     └─────────┘  (b): from my  └────────┘  Leave to └─────────┘     └──────┘
 *                      │ ▲    │     successor,    │      ▲   everyone                    │
 *    BootstrapForward  └─┘    │     then Gossip   │      │                               │
 *    (c): the bootstrap       │     to everyone   └──────┘ every RefreshRate: Gossip to  │
 *    names my successor       │                   my neighbours and a random member;     │
 *                             │ every bootstrap   a member silent `failures` times is    │
 *                             ▼ node failed       declared Failed and the news spreads   │
 *                        ┌────────┐                                                      │
 *                        │ Failed │ ──── join() ───► Joining ◄──────── join() ───────────┘
 *                        └────────┘
 * ```
 *
 * Only a Joined node answers for the overlay: an Idle, Joining, Failed or Left node refuses with
 * 480 (not a member), a Leaving one with 503. start() and stop() arm and disarm the refresh timer.
 */
export type OneHopNodeState = 'idle' | 'joining' | 'joined' | 'leaving' | 'left' | 'failed';
