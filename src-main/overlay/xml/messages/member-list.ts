import type { MessageCodec } from '../message-codec.ts';
import { addLeaf, checkUint32, parseUint32, readChildren, requiredText } from '../fields.ts';
import { MEMBER_NEWS_RULES, addMemberNews, parseMemberNews } from './member-news.ts';
import type { MemberNews } from './member-news.ts';
import { addBindings, parseBindings } from './stored-binding.ts';
import type { StoredBinding } from './stored-binding.ts';

/**
 * Identity layer, onehop: a node's whole membership table. It is the onehop "successXML" (paper,
 * section 4.2, Figure 3 (b)): the answer to a BootstrapRegRequest from the joining node's
 * successor, carrying every member, the tombstones of the recently failed and left, and the
 * bindings the joining node must hold from now on. It also answers GetMembers (then without
 * bindings), the pull two nodes whose views disagree use to converge. **[not in the paper]**
 */
export interface MemberList extends MemberNews {
  readonly kind: 'MemberList';
  /** Seconds between refreshes (the paper's RefreshRate). */
  readonly refreshRate: number;
  /** In the answer to BootstrapRegRequest: every binding the joining node must hold. */
  readonly bindings: readonly StoredBinding[];
}

export const memberListCodec: MessageCodec<MemberList> = {
  element: 'MemberList',

  build(parent, message) {
    const element = parent.ele('MemberList');
    addLeaf(element, 'RefreshRate', String(checkUint32(message.refreshRate, 'MemberList/RefreshRate')));
    addMemberNews(element, message, 'MemberList');
    addBindings(element, message.bindings, 'MemberList');
  },

  parse(element, path) {
    const children = readChildren(element, path, [
      { name: 'RefreshRate' },
      ...MEMBER_NEWS_RULES,
      { name: 'Binding', min: 0, max: Infinity },
    ]);
    return {
      kind: 'MemberList',
      refreshRate: parseUint32(requiredText(children, 'RefreshRate', path), `${path}/RefreshRate`),
      ...parseMemberNews(children, path),
      bindings: parseBindings(children, path),
    };
  },
};
