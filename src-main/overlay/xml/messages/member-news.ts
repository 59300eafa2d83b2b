import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import {
  addLeaf,
  checkNodeId,
  checkSipUrl,
  checkUint53,
  parseUint53,
  readChildren,
  requiredText,
  type ChildRule,
} from '../fields.ts';
import type { XmlElement } from '../xml-tree.ts';

/**
 * Identity layer, onehop: one member as a node's membership table holds it, in an element named
 * for what is known of it, as chord names a node for its role:
 *
 *   <Alive><NodeID/><NodeURL/><Incarnation/></Alive>     in the overlay
 *   <Failed>…</Failed>                                    found dead at that incarnation
 *   <Left>…</Left>                                        left gracefully at that incarnation
 *
 * The incarnation orders news about one node (SWIM, Das et al. 2002): a higher one wins; at equal
 * incarnations Left beats Failed beats Alive, so a late "alive" cannot bring back a node that
 * left. Only the node itself raises its incarnation, to refute a wrong "failed". **[not in the
 * paper]**
 */
export interface MemberRecord {
  /** 40 lowercase hex digits. */
  readonly id: string;
  /** sip:HOST:PORT, the paper's NodeURL. */
  readonly url: string;
  /** Milliseconds-since-epoch sized counter (a joining node starts at the clock's time). */
  readonly incarnation: number;
}

/** The three lists of news every membership message carries, in this order on the wire. */
export interface MemberNews {
  readonly alive: readonly MemberRecord[];
  readonly failed: readonly MemberRecord[];
  readonly left: readonly MemberRecord[];
}

/** The rules for the news elements, to splice into a message's sequence. */
export const MEMBER_NEWS_RULES: readonly ChildRule[] = [
  { name: 'Alive', min: 0, max: Infinity },
  { name: 'Failed', min: 0, max: Infinity },
  { name: 'Left', min: 0, max: Infinity },
];

const NAMES = { alive: 'Alive', failed: 'Failed', left: 'Left' } as const;

/** Appends every Alive, then every Failed, then every Left element. */
export function addMemberNews(parent: XMLBuilder, news: MemberNews, path: string): void {
  for (const field of ['alive', 'failed', 'left'] as const) {
    const name = NAMES[field];
    news[field].forEach((member, i) => {
      const at = `${path}/${name}[${i + 1}]`;
      const element = parent.ele(name);
      addLeaf(element, 'NodeID', checkNodeId(member.id, `${at}/NodeID`));
      addLeaf(element, 'NodeURL', checkSipUrl(member.url, `${at}/NodeURL`));
      addLeaf(element, 'Incarnation', String(checkUint53(member.incarnation, `${at}/Incarnation`)));
    });
  }
}

/** The news of a message, from the result of readChildren with MEMBER_NEWS_RULES. */
export function parseMemberNews(children: Map<string, XmlElement[]>, path: string): MemberNews {
  const list = (name: string): MemberRecord[] =>
    children.get(name)!.map((element, i) => parseMember(element, `${path}/${name}[${i + 1}]`));
  return { alive: list('Alive'), failed: list('Failed'), left: list('Left') };
}

function parseMember(element: XmlElement, path: string): MemberRecord {
  const fields = readChildren(element, path, [
    { name: 'NodeID' },
    { name: 'NodeURL' },
    { name: 'Incarnation' },
  ]);
  return {
    id: checkNodeId(requiredText(fields, 'NodeID', path), `${path}/NodeID`),
    url: checkSipUrl(requiredText(fields, 'NodeURL', path), `${path}/NodeURL`),
    incarnation: parseUint53(requiredText(fields, 'Incarnation', path), `${path}/Incarnation`),
  };
}
