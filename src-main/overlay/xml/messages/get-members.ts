import { emptyMessageCodec } from './empty-message.ts';

/**
 * Identity layer, onehop: "send me your whole membership table", answered with a MemberList
 * without bindings. A node sends it when its digest has differed from its neighbours' for a few
 * refreshes in a row (news lost on the way). **[not in the paper]**
 */
export interface GetMembers {
  readonly kind: 'GetMembers';
}

export const getMembersCodec = emptyMessageCodec<GetMembers>({ kind: 'GetMembers' });
