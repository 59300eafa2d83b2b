import type { ChordCore } from './chord-core.ts';
import { handBack } from './binding-requests.ts';
import { replicate } from './replication.ts';
import { checkPredecessor, fixFingers, probeGraveyard, stabilize } from './stabilize.ts';

/**
 * One refresh period (the paper's RefreshRate): the REGISTER refreshes toward successor and
 * predecessor double as Chord's stabilize and check_predecessor; then a few fingers are checked,
 * replicas brought up to date, misplaced bindings handed back, one node declared dead asked again (partitions), and expired
 * state forgotten.
 */
export async function refresh(core: ChordCore): Promise<void> {
  if (core.state !== 'joined') return;
  // The predecessor first: if it died, this period's Notify already asks for the handover.
  await checkPredecessor(core);
  await stabilize(core);
  await fixFingers(core);
  await replicate(core);
  await handBack(core);
  await probeGraveyard(core);
  core.store.purge(core.now());
  core.tidy();
}
