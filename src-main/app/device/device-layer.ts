import { onehop } from '../../overlay/onehop/index.ts';
import type { NodeRef, Overlay } from '../../overlay/overlay.ts';
import type { BootstrapNode } from '../../overlay/xml/index.ts';
import { joinOrStart } from '../join-or-start.ts';
import type { PeerNode } from '../peer-node.ts';
import { deviceAor, profileContact, readProfile } from './device-profile.ts';
import type { DeviceForm, DeviceProfile, Reachability } from './device-profile.ts';

/** The device layer's name in `<Overlay layer= algorithm=>`. */
export const DEVICE_LAYER = 'device';
/** Profiles looked up at once by `profiles()`. */
const PARALLEL_LOOKUPS = 8;

export interface DeviceLayerOptions {
  form: DeviceForm;
  /** As the owner or the network set it; default 'unknown'. */
  reachability?: Reachability;
  /** Default: 2,000 kbit/s for a desktop or server, 512 for a mobile device. */
  bandwidthKbps?: number;
  /** Where to join; default: the bootstrap peers the login server gave. Empty: start the overlay. */
  bootstrap?: Array<NodeRef | BootstrapNode>;
  /** The overlay's refresh and the profile's; default: the network's RefreshRate. */
  refreshMs?: number;
  hopTimeoutMs?: number;
  onStartedAlone?: (why: string) => void;
}

/**
 * The device layer of one peer (the paper's device overlays, section 2): an overlay of its own,
 * `device/onehop`, in which every device is a member and stores its profile (public or behind
 * NAT, desktop or mobile, uptime, bandwidth) under its NodeID, renewed every refresh period. The
 * identity layer reads it to choose its algorithm (autopilot.ts: constrained devices should not
 * carry one-hop's full membership). One-hop suits it: every device knows every other device, so
 * `members()` is local, and one profile is one hop away.
 */
export class DeviceLayer {
  readonly #startedAt = Date.now();
  readonly #domain: string;

  private constructor(
    private readonly node: PeerNode,
    readonly overlay: Overlay,
    private readonly options: DeviceLayerOptions,
    private readonly refreshMs: number,
  ) {
    const aor = node.identity.aor;
    this.#domain = aor.slice(aor.lastIndexOf('@') + 1);
  }

  /** Hosts the overlay, joins it (or starts it), publishes this device's profile and keeps it fresh. */
  static async join(node: PeerNode, options: DeviceLayerOptions): Promise<DeviceLayer> {
    const refreshMs = options.refreshMs ?? node.refreshRate * 1000;
    const factory = onehop({
      layer: DEVICE_LAYER,
      refreshMs,
      attempts: 1,
      ...(options.hopTimeoutMs === undefined ? {} : { hopTimeoutMs: options.hopTimeoutMs }),
    });
    const overlay = await node.host({ layer: DEVICE_LAYER, algorithm: 'onehop' }, factory);
    const refs = (options.bootstrap ?? node.bootstrap)
      .map((b) => ('url' in b ? b : b.nodeId ? { id: b.nodeId, url: b.nodeUrl } : undefined))
      .filter((b): b is NodeRef => b !== undefined && b.url !== node.uri);
    await joinOrStart(overlay, refs, 'the device overlay', options.onStartedAlone);
    const layer = new DeviceLayer(node, overlay, options, refreshMs);
    await layer.publish();
    node.every(refreshMs, () => layer.publish());
    return layer;
  }

  /** This device as it describes itself now. */
  profile(): DeviceProfile {
    const { form, reachability = 'unknown' } = this.options;
    return {
      nodeId: this.node.identity.nodeId,
      url: this.node.uri,
      reachability,
      form,
      uptimeS: Math.floor((Date.now() - this.#startedAt) / 1000),
      bandwidthKbps: this.options.bandwidthKbps ?? (form === 'mobile' ? 512 : 2000),
    };
  }

  /** Stores this device's profile, alive for three refresh periods (one lost refresh loses nothing). */
  async publish(): Promise<void> {
    const identity = this.node.identity;
    await this.overlay.put({
      aor: deviceAor(identity.nodeId, this.#domain),
      contact: profileContact(this.profile()),
      nodeId: identity.nodeId,
      certificateFingerprint: identity.fingerprint,
      expiresAt: Date.now() + 3 * this.refreshMs,
    });
  }

  /** Every device the overlay knows, this one included. */
  members(): NodeRef[] {
    return [this.overlay.self, ...(this.overlay.knownNodes?.() ?? [])];
  }

  /** A device's profile; undefined when it has none (gone, or not published yet). */
  async lookup(nodeId: string): Promise<DeviceProfile | undefined> {
    if (nodeId === this.node.identity.nodeId) return this.profile();
    const bindings = await this.overlay.get(deviceAor(nodeId, this.#domain));
    // Only the device itself may describe itself: a profile stored by another NodeID is ignored.
    const own = bindings.filter((b) => b.nodeId === nodeId);
    return own.length > 0 ? readProfile(own[own.length - 1]!) : undefined;
  }

  /** The profiles of every member, looked up a few at a time; members without one are left out. */
  async profiles(): Promise<DeviceProfile[]> {
    const members = this.members();
    const found: DeviceProfile[] = [];
    for (let i = 0; i < members.length; i += PARALLEL_LOOKUPS) {
      const batch = members.slice(i, i + PARALLEL_LOOKUPS);
      const got = await Promise.all(batch.map((m) => this.lookup(m.id).catch(() => undefined)));
      for (const profile of got) if (profile) found.push(profile);
    }
    return found;
  }
}
