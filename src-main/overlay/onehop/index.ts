// The onehop algorithm of the identity layer: full membership, one-hop lookups (issue 6).

export { onehop } from './onehop.ts';
export { OneHopNode } from './onehop-node.ts';
export type { OneHopNodeState } from './onehop-node-state.ts';
export { resolveOneHopSettings, InvalidOneHopSettingsError } from './onehop-settings.ts';
export type { OneHopSettings, ResolvedOneHopSettings } from './onehop-settings.ts';
export {
  BadMemberMessageError,
  MemberRefusedError,
  NotAMemberError,
  OneHopError,
  OneHopJoinFailedError,
  TooManyHopsError,
  UnexpectedAnswerError,
} from './onehop-errors.ts';
export type * from './onehop-messages.ts';
export { checkMembers, ownerAmong } from './check-members.ts';
export type { MembershipProblem } from './check-members.ts';
