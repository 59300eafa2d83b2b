import type { MessageCodec } from '../message-codec.ts';
import { readChildren } from '../fields.ts';

/**
 * The codec of a message that is its name alone (`<Ping/>`): it refuses text and elements of ours
 * inside, and skips extensions like every other message.
 */
export function emptyMessageCodec<M extends { readonly kind: string }>(message: M): MessageCodec<M> {
  return {
    element: message.kind,

    build(parent) {
      parent.ele(message.kind);
    },

    parse(element, path) {
      readChildren(element, path, []);
      return { ...message };
    },
  };
}
