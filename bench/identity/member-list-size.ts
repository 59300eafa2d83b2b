import type { OverlayState } from '../../src-main/overlay/overlay.ts';
import { buildP2pXml, DEFAULT_MAX_BODY_BYTES } from '../../src-main/overlay/xml/index.ts';
import type { MemberList } from '../../src-main/overlay/xml/index.ts';

export interface MemberListSize {
  /** Members in the table measured (the peer itself included). */
  members: number;
  /** The p2p+xml body of a GetMembers answer carrying them: what a pull between two peers costs. */
  bodyBytes: number;
  /** What each member adds to it (NodeID, NodeURL, incarnation and their tags). */
  bytesPerMember: number;
  /**
   * Members at which that body reaches the largest body a peer accepts (DEFAULT_MAX_BODY_BYTES,
   * 64 KiB; a UDP datagram holds 65,507 bytes with the SIP headers): the one-hop overlay's ceiling
   * over UDP as the code stands, since a joining peer gets the whole table in one answer.
   */
  ceiling: number;
}

/**
 * The size of one onehop peer's whole table on the wire, built by the real codec from the members
 * its state lists (alive ones; tombstones of peers that failed or left add a record each for 20
 * refresh periods). The answer to a BootstrapRegRequest carries the same list and the joining
 * peer's bindings; the answer to GetMembers carries the list alone, as here.
 */
export function memberListSize(state: OverlayState): MemberListSize {
  const members = (state.tables.members ?? []) as Array<{ id: string; url: string; incarnation: number }>;
  if (members.length < 2) throw new RangeError('a member table of fewer than 2 cannot be sized');
  const refreshRate = Number(state.tables.refreshRate ?? 60);
  const bytes = (alive: typeof members) => {
    const list: MemberList = { kind: 'MemberList', refreshRate, alive, failed: [], left: [], bindings: [] };
    const body = buildP2pXml({
      overlays: [{ layer: state.layer, algorithm: state.algorithm, messages: [list] }],
    });
    return Buffer.byteLength(body, 'utf8');
  };
  const all = bytes(members);
  const one = bytes(members.slice(0, 1));
  const perMember = (all - one) / (members.length - 1);
  return {
    members: members.length,
    bodyBytes: all,
    bytesPerMember: perMember,
    ceiling: Math.floor((DEFAULT_MAX_BODY_BYTES - (one - perMember)) / perMember),
  };
}
