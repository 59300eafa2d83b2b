import type { GetMembers } from './get-members.ts';
import type { Gossip } from './gossip.ts';
import type { MemberList } from './member-list.ts';

/**
 * The onehop algorithm's own messages (src-main/overlay/onehop/onehop-messages.ts, same kinds and
 * field names). Its other messages are chord's, reused with the same meaning: BootstrapRegRequest,
 * BootstrapForward, Leave, PutBinding, GetBindings, Bindings, Redirect, StoreBindings, Ack and
 * Failure (message-table.ts, vocabulary of identity/onehop).
 */
export type IdentityOneHopMessage = MemberList | Gossip | GetMembers;
