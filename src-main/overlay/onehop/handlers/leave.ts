import { readBindings } from '../../chord/message-fields.ts';
import { answer, refuseUnlessMember, type Handler } from './handler.ts';

/**
 * A member leaves gracefully (paper, section 4.2; REGISTER with Expires: 0). I record it as left
 * at the incarnation I know, which no later "alive" of that incarnation undoes, and pass the news
 * on. If it was my predecessor, its bindings are mine now: they come with the message.
 */
export const leave: Handler = (core, from, message) => {
  const refusal = refuseUnlessMember(core);
  if (refusal) return refusal;
  const bindings = readBindings(message, 'bindings');
  core.declare('left', from);
  core.mergeBindings(bindings);
  return answer({ kind: 'Ack' });
};
