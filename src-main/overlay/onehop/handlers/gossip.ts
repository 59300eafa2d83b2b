import { readDigest, readNews } from '../member-fields.ts';
import { answer, refuseUnlessMember, type Handler } from './handler.ts';

/**
 * The refresh from another member: take its news, answer with mine (push-pull). A node I hold as
 * failed or left is not taken back for writing to me: only news with a higher incarnation, which
 * it sends once it learns of its death from my answer, brings it back.
 */
export const gossip: Handler = (core, from, message) => {
  const refusal = refuseUnlessMember(core);
  if (refusal) return refusal;
  readDigest(message);
  core.learn(readNews(message));
  return answer(core.gossipFor(from));
};
