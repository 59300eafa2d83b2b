import { isId } from '../chord/ring.ts';
import type { OverlayMessage } from '../overlay.ts';
import { BadMemberMessageError } from './onehop-errors.ts';
import type { MemberNews, MemberRecord } from './onehop-messages.ts';

/**
 * Reading the membership news of a message from another node. The trust layer has verified who
 * sent it, not that its fields make sense: a bad field is a 400, never a crash.
 */

/** More than any overlay this algorithm suits (a MemberList of this many is about 160 KB). */
const MAX_NEWS = 1024;
const MAX_URL = 1024;

export function readNews(message: OverlayMessage): MemberNews {
  return {
    alive: readList(message, 'alive'),
    failed: readList(message, 'failed'),
    left: readList(message, 'left'),
  };
}

function readList(message: OverlayMessage, field: string): MemberRecord[] {
  const value = message[field];
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > MAX_NEWS)
    throw bad(message, `${field} must be a list of members`);
  return value.map((entry: unknown, i) => {
    const { id, url, incarnation } = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<
      string,
      unknown
    >;
    if (
      !isId(id) ||
      typeof url !== 'string' ||
      url.length === 0 ||
      url.length > MAX_URL ||
      typeof incarnation !== 'number' ||
      !Number.isSafeInteger(incarnation) ||
      incarnation < 0
    ) {
      throw bad(message, `${field}[${i}] must be {id: 40 hex digits, url, incarnation: whole number}`);
    }
    return { id, url, incarnation };
  });
}

export function readDigest(message: OverlayMessage): string {
  const digest = message.digest;
  if (!isId(digest)) throw bad(message, 'digest must be 40 lowercase hex digits');
  return digest;
}

function bad(message: OverlayMessage, why: string): BadMemberMessageError {
  return new BadMemberMessageError(String(message.kind ?? 'message'), why);
}
