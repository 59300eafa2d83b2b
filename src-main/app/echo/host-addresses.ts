import { networkInterfaces } from 'node:os';
import type { NetworkInterfaceInfo } from 'node:os';

/**
 * The extra host addresses the echo peer offers ICE candidates on, beside the ones werift finds.
 *
 * werift gathers host candidates on every interface that is not internal (it skips loopback,
 * like browsers). On a machine, or in a network namespace, whose only interface is `lo` that
 * leaves no candidate at all and no call could connect; and a peer whose SIP listens on loopback
 * takes calls only from this machine, where loopback is the one path that always works. In both
 * cases 127.0.0.1 (and ::1 where it exists) is offered too.
 */
export function loopbackHostAddresses(
  sipAddress: string,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): string[] {
  const all = Object.values(interfaces).flatMap((list) => list ?? []);
  const external = (family: string) => all.some((i) => !i.internal && i.family === family && !linkLocal(i));
  const has = (address: string) => all.some((i) => i.address === address);
  const loopbackSip = sipAddress === '127.0.0.1' || sipAddress === '::1' || sipAddress === 'localhost';
  const extra: string[] = [];
  if (has('127.0.0.1') && (loopbackSip || !external('IPv4'))) extra.push('127.0.0.1');
  if (has('::1') && (loopbackSip || !external('IPv6'))) extra.push('::1');
  return extra;
}

function linkLocal(i: NetworkInterfaceInfo): boolean {
  return i.address.startsWith('169.254.') || i.address.toLowerCase().startsWith('fe80:');
}
