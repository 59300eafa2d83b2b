import { isPeerFailure, type OneHopCore } from './onehop-core.ts';

/**
 * Graceful leave (paper, section 4.2: "A node gracefully exiting the P2P network sends a
 * REGISTER message to the peers in the finger table"; over SIP, a REGISTER with Expires: 0). My
 * successor gets every binding I hold (it takes my range over and holds my replicas' share),
 * then every other member is told, once each: whoever misses it learns it through gossip. While
 * leaving the node refuses requests with 503.
 */
export async function leaveOverlay(core: OneHopCore): Promise<void> {
  core.state = 'leaving';
  const others = core.members.others();
  const heirs = core.members.after(core.self.position, core.settings.replicas + 1);
  const bindings = core.store.all();
  let heir: string | null = null;
  for (const candidate of heirs) {
    try {
      await core.call(candidate, { kind: 'Leave', successors: [], bindings });
      heir = candidate.id;
      break;
    } catch (error) {
      if (!isPeerFailure(error)) throw error; // dead or leaving too: the next one inherits
    }
  }
  await Promise.all(
    others
      .filter((member) => member.id !== heir)
      .map((member) =>
        core
          .call(member, { kind: 'Leave', successors: [], bindings: [] }, { attempts: 1 })
          .catch(() => undefined),
      ),
  );
  core.reset();
  core.store.clear();
  core.state = 'left';
}
