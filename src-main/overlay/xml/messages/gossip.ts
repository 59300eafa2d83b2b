import type { MessageCodec } from '../message-codec.ts';
import { addLeaf, checkNodeId, readChildren, requiredText } from '../fields.ts';
import { MEMBER_NEWS_RULES, addMemberNews, parseMemberNews } from './member-news.ts';
import type { MemberNews } from './member-news.ts';

/**
 * Identity layer, onehop: the refresh. Every RefreshRate seconds a node sends one to its
 * neighbours in id order and to a random member: it is the liveness probe (no answer in time
 * counts a miss) and it carries the latest membership news both ways (push-pull gossip, SWIM's
 * piggybacking). A joining node announces itself with one to every member. The answer is a
 * Gossip too. **[not in the paper]**
 */
export interface Gossip extends MemberNews {
  readonly kind: 'Gossip';
  /**
   * SHA-1 over the sender's live members ("NodeID:Incarnation" lines in id order): two nodes
   * with equal digests have the same view; views that keep differing are reconciled with
   * GetMembers.
   */
  readonly digest: string;
}

export const gossipCodec: MessageCodec<Gossip> = {
  element: 'Gossip',

  build(parent, message) {
    const element = parent.ele('Gossip');
    addLeaf(element, 'Digest', checkNodeId(message.digest, 'Gossip/Digest'));
    addMemberNews(element, message, 'Gossip');
  },

  parse(element, path) {
    const children = readChildren(element, path, [{ name: 'Digest' }, ...MEMBER_NEWS_RULES]);
    return {
      kind: 'Gossip',
      digest: checkNodeId(requiredText(children, 'Digest', path), `${path}/Digest`),
      ...parseMemberNews(children, path),
    };
  },
};
