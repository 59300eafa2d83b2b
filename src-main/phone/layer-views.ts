import type { SwitchNews } from '../app/identity/identity-layer.ts';
import type { SwitchPhaseName } from '../app/identity/switch-phase.ts';
import type { LayerHealth, LayerSwitchOutcome, LayerSwitchPhase, LayerView } from '../ipc/contract.ts';
import type { NodeRef, OverlayState } from '../overlay/overlay.ts';
import type { NetworkSession } from './network-session.ts';

/** A certificate this close to its end makes the trust layer 'degraded': time to renew it. */
const EXPIRY_WARNING_MS = 7 * 86_400_000;
const ID = /^[0-9a-f]{40}$/;

/** Compiles only while the contract's phases are the identity layer's (switch-phase.ts). */
const _samePhases: [SwitchPhaseName] extends [LayerSwitchPhase]
  ? [LayerSwitchPhase] extends [SwitchPhaseName]
    ? true
    : never
  : never = true;

/**
 * The network screen's "Layers": each layer this phone runs (paper, section 2), the mechanism it
 * runs, and how it is doing, in one line a person can read. Read from the layers' own state on
 * every call; nothing here is remembered.
 */
export function layerViews(session: NetworkSession, now = Date.now()): LayerView[] {
  return [deviceLayer(session), trustLayer(session, now), identityLayer(session), presenceLayer(session)];
}

/** A switch's end as the screen shows it; `at` is when this phone heard of it. */
export function switchOutcome(news: SwitchNews, at: number): LayerSwitchOutcome {
  return {
    layer: 'identity',
    epoch: news.epoch,
    from: news.from,
    to: news.to,
    outcome: news.outcome,
    reason: news.reason ?? null,
    at,
  };
}

/**
 * The trust layer's mechanism and the certificate it got this phone (docs/PROTOCOL.md sections 4
 * and 5), from the layer's own state().
 */
function trustLayer(session: NetworkSession, now: number): LayerView {
  const { node, loginServer, network } = session;
  const state = node.trustState();
  const view = (health: LayerHealth, detail: string): LayerView => ({
    layer: 'trust',
    algorithm: state.algorithm,
    health,
    detail,
    epoch: 0,
    phase: 'steady',
    switchTo: [],
  });
  if (!node.loggedIn) return view('down', 'Not logged in: join the network again');
  const notAfter = node.identity.notAfter.getTime();
  const until = node.identity.notAfter.toISOString().slice(0, 10);
  if (notAfter <= now) {
    return view('down', `Your certificate expired on ${until}: join the network again to get a new one`);
  }
  if (notAfter - now < EXPIRY_WARNING_MS) {
    return view(
      'degraded',
      loginServer
        ? `Your certificate expires on ${until}: restart the phone and it issues itself a new one`
        : `Your certificate expires on ${until}: join the network again to renew it`,
    );
  }
  const version = state.revocationListVersion;
  const where =
    state.algorithm !== 'login-server'
      ? `Trust by ${state.algorithm}`
      : loginServer
        ? 'Login server hosted here'
        : `Login server ${network.loginServer}`;
  const list = version === 0 ? 'no revocation list yet' : `revocation list ${version}`;
  return view('ok', `${where}; certificate valid until ${until}, ${list}`);
}

/** The identity layer: its active algorithm, or where a switch to another one stands. */
function identityLayer(session: NetworkSession): LayerView {
  const layer = session.identity;
  const active = layer.active;
  const phase = layer.phase.name;
  const view = (health: LayerHealth, detail: string): LayerView => ({
    layer: 'identity',
    algorithm: active.algorithm,
    health,
    detail,
    epoch: layer.epoch,
    phase,
    switchTo: session.identityAlgorithms.filter((a) => a !== active.algorithm),
  });
  if (phase === 'steady') return view(...overlayHealth(active.state(), 'identity overlay'));
  // The overlay beside the active one: the incoming one before the move, the outgoing one after.
  const switching = layer.switching;
  const other = switching && (switching.to === active.algorithm ? switching.from : switching.to);
  switch (phase) {
    case 'joining':
      return view('switching', `Switching to ${other ?? 'another algorithm'}: joining the new overlay`);
    case 'checking':
      return view('switching', `Switching to ${other ?? 'another algorithm'}: checking owners`);
    case 'moved':
      return view(
        'switching',
        `Moved to ${active.algorithm}: lookups ask it first${other ? `, ${other} retires soon` : ''}`,
      );
  }
}

/** The device layer (docs/PROTOCOL.md section 12): every device's profile, in an overlay of its own. */
function deviceLayer(session: NetworkSession): LayerView {
  const devices = session.devices;
  const view = (health: LayerHealth, detail: string): LayerView => ({
    layer: 'device',
    algorithm: devices?.overlay.algorithm ?? 'onehop',
    health,
    detail,
    epoch: 0,
    phase: 'steady',
    switchTo: [],
  });
  if (!devices) return view('down', 'Could not start: restart the phone to try again');
  const [health, detail] = overlayHealth(devices.overlay.state(), 'device overlay');
  const count = devices.members().length;
  return view(
    health,
    health === 'ok' ? `${count} device${count === 1 ? '' : 's'}; this one a desktop` : detail,
  );
}

/** The presence feature layer (docs/PROTOCOL.md section 11): its own ring, pushing contacts' dots. */
function presenceLayer(session: NetworkSession): LayerView {
  const presence = session.presence;
  const view = (health: LayerHealth, detail: string): LayerView => ({
    layer: 'presence',
    algorithm: presence?.algorithm ?? 'chord',
    health,
    detail,
    epoch: 0,
    phase: 'steady',
    switchTo: [],
  });
  if (!presence) {
    return view('down', 'Could not start, so contacts show no online state: restart the phone to try again');
  }
  const [health, detail] = overlayHealth(presence.state(), 'presence ring');
  const watching = presence.watcher.watching().length;
  return view(
    health,
    health === 'ok' ? `${detail}; watching ${watching} contact${watching === 1 ? '' : 's'}` : detail,
  );
}

/**
 * How an overlay looks from its own tables: in it or not, alone or not, refreshing or failing.
 * The tables are the algorithm's business (chord: successors, predecessor, fingers; onehop:
 * members), so they are read defensively, as plain data.
 */
function overlayHealth(state: OverlayState, what: string): [LayerHealth, string] {
  const tables = state.tables;
  if (!state.joined) {
    const where = typeof tables.state === 'string' ? ` (${tables.state})` : '';
    return ['down', `Not in the ${what}${where}: calls and lookups through it fail until it rejoins`];
  }
  if (typeof tables.lastRefreshError === 'string') {
    return ['degraded', `A refresh of the ${what} failed: ${tables.lastRefreshError}`];
  }
  const others = new Map<string, NodeRef>();
  collect(tables, others, 0);
  others.delete(state.self.id);
  if (others.size === 0) {
    return ['degraded', `Alone in the ${what}: it reaches no other phone until one joins`];
  }
  const peers = `${others.size} other peer${others.size === 1 ? '' : 's'} known`;
  if (Array.isArray(tables.members)) return ['ok', `${peers}, each one hop away`];
  const successor = Array.isArray(tables.successors) ? (tables.successors[0] as unknown) : undefined;
  return isRef(successor) && successor.id !== state.self.id
    ? ['ok', `${peers}, successor ${successor.id.slice(0, 8)}…`]
    : ['ok', peers];
}

/** Every `{ id, url }` anywhere in the tables. */
function collect(value: unknown, found: Map<string, NodeRef>, depth: number): void {
  if (depth > 6 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) collect(item, found, depth + 1);
    return;
  }
  if (isRef(value)) found.set(value.id, { id: value.id, url: value.url });
  for (const child of Object.values(value)) collect(child, found, depth + 1);
}

function isRef(value: unknown): value is NodeRef {
  const v = value as Partial<NodeRef> | null | undefined;
  return typeof v?.id === 'string' && ID.test(v.id) && typeof v.url === 'string';
}
