import type { Binding, Id } from '../../overlay/overlay.ts';

/** Whether other peers can reach this device unasked: 'nat' when only through pinholes it opened. */
export type Reachability = 'public' | 'nat' | 'unknown';
/** What kind of device it is: a mobile one has little battery and bandwidth to spare. */
export type DeviceForm = 'desktop' | 'mobile' | 'server';

/** What a device tells the device layer about itself (docs/PROTOCOL.md section 12). */
export interface DeviceProfile {
  nodeId: Id;
  /** Its NodeURL. */
  url: string;
  reachability: Reachability;
  form: DeviceForm;
  /** Seconds since it started. */
  uptimeS: number;
  /** What it can spend on the network, kbit/s, as its owner set it. */
  bandwidthKbps: number;
}

const REACHABILITY: readonly Reachability[] = ['public', 'nat', 'unknown'];
const FORMS: readonly DeviceForm[] = ['desktop', 'mobile', 'server'];
/** Below this a device is constrained whatever its form (an Opus call takes about 80 kbit/s each way). */
export const LOW_BANDWIDTH_KBPS = 256;

/** The AOR a device's profile is stored under in the device overlay: one key per NodeID. */
export function deviceAor(nodeId: Id, domain: string): string {
  return `sip:device.${nodeId}@${domain}`;
}

/**
 * The profile as a Contact: the NodeURL with one URI parameter per field, as SIP describes a
 * device's capabilities in its Contact (RFC 3840 feature parameters), e.g.
 * `sip:10.0.0.7:5060;reach=nat;form=mobile;up=3600;bw=512`.
 */
export function profileContact(profile: DeviceProfile): string {
  const { url, reachability, form, uptimeS, bandwidthKbps } = profile;
  return `${url};reach=${reachability};form=${form};up=${Math.floor(uptimeS)};bw=${Math.floor(bandwidthKbps)}`;
}

/** The profile a device-layer binding carries, or undefined when its Contact is not one. */
export function readProfile(binding: Binding): DeviceProfile | undefined {
  const [url, ...params] = binding.contact.split(';');
  const fields = new Map(params.map((p) => p.split('=', 2) as [string, string]));
  const reachability = fields.get('reach') as Reachability;
  const form = fields.get('form') as DeviceForm;
  const uptimeS = wholeNumber(fields.get('up'));
  const bandwidthKbps = wholeNumber(fields.get('bw'));
  if (!url || !REACHABILITY.includes(reachability) || !FORMS.includes(form)) return undefined;
  if (uptimeS === undefined || bandwidthKbps === undefined) return undefined;
  return { nodeId: binding.nodeId, url, reachability, form, uptimeS, bandwidthKbps };
}

/** A device that should not carry full membership: mobile, or short of bandwidth. */
export function isConstrained(profile: DeviceProfile): boolean {
  return profile.form === 'mobile' || profile.bandwidthKbps < LOW_BANDWIDTH_KBPS;
}

function wholeNumber(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,10}$/.test(text) ? Number(text) : undefined;
}
