import type { NodeRef, Overlay } from '../overlay/overlay.ts';

/**
 * Joins a layer's overlay through `refs`, or starts it when there is nobody to join through. When
 * nobody answers (the peers the login server named have all gone), it starts alone as well: an
 * overlay of one is better than a phone without the layer, and `onStartedAlone` says why, with
 * `what` naming the overlay ("the presence ring").
 */
export async function joinOrStart(
  overlay: Overlay,
  refs: readonly NodeRef[],
  what: string,
  onStartedAlone?: (why: string) => void,
): Promise<void> {
  if (refs.length === 0) return overlay.create();
  try {
    await overlay.join([...refs]);
  } catch (error) {
    onStartedAlone?.(`Could not join ${what}: ${(error as Error).message}`);
    await overlay.create();
  }
}
