import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../keystore/index.ts';
import type { Binding, Overlay, OverlayState } from '../overlay/overlay.ts';
import type { CallSnapshot } from './calls/index.ts';
import type { PeerNode } from './peer-node.ts';

/** What a running peer publishes about itself in its data folder (state.json). */
export interface PeerStateFile {
  aor: string;
  writtenAt: string;
  overlay: OverlayState;
  /** The bindings this node stores (as the responsible node or a replica). */
  bindings: Binding[];
  /** Calls of this device in progress. */
  calls: CallSnapshot[];
  /** INVITEs this peer carried for others. */
  routing: PeerNode['routing'];
}

export class NoPeerStateError extends Error {
  constructor(dir: string) {
    super(`No state in ${dir}: is a peer running with --data ${dir}?`);
    this.name = 'NoPeerStateError';
  }
}

/**
 * A running peer writes its overlay state here every few seconds, so that an operator can look
 * at one node (`chordline peer state`) without a control port.
 */
export async function writePeerState(dir: string, node: PeerNode, overlay: Overlay): Promise<void> {
  const state: PeerStateFile = {
    aor: node.identity.aor,
    writtenAt: new Date().toISOString(),
    overlay: overlay.state(),
    bindings: overlay.storedBindings(),
    calls: node.calls.list(),
    routing: { ...node.routing },
  };
  await writeFileAtomic(join(dir, 'state.json'), JSON.stringify(state, null, 2) + '\n', 0o600);
}

export async function readPeerState(dir: string): Promise<PeerStateFile> {
  try {
    return JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as PeerStateFile;
  } catch {
    throw new NoPeerStateError(dir);
  }
}
