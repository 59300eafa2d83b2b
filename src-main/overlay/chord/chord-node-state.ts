/**
 * Where a node stands with respect to the ring (paper, section 4.2 and Figure 3).
 *
 * ```
 *           create() (the first node of a ring)
 *   ┌──────┐ ─────────────────────────────────────┐
 *   │ Idle │                                       ▼
 *   └──────┘  join()  ┌─────────┐  BootstrapOK  ┌────────┐  leave()  ┌─────────┐     ┌──────┐
 *       └───────────► │ Joining │ ────────────► │ Joined │ ────────► │ Leaving │ ──► │ Left │
 *                     └─────────┘  Fig. 3 (b),  └────────┘           └─────────┘     └──────┘
 *                      │ ▲    │    then (d)                                              │
 *    BootstrapForward  └─┘    │ every bootstrap node refused,                            │
 *    Fig. 3 (c): ask the      │ 483 (too many forwards), or none answered                │
 *    node it names            ▼                                                          │
 *                        ┌────────┐                                                      │
 *                        │ Failed │ ──── join() ───► Joining ◄──────── join() ───────────┘
 *                        └────────┘
 * ```
 *
 * Only a Joined node answers for the ring: an Idle, Joining, Failed or Left node refuses ring
 * requests with 480 (not in the ring), a Leaving one with 503 (ask your successor).
 * start() and stop() are orthogonal: they arm and disarm the refresh timer of a Joined node.
 */
export type ChordNodeState = 'idle' | 'joining' | 'joined' | 'leaving' | 'left' | 'failed';
