import { describe, expect, it } from 'vitest';
import { loopbackHostAddresses } from '../../../src-main/app/echo/host-addresses.ts';

describe('the loopback candidates the echo peer adds', () => {
  const lo = [
    { address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '', internal: true, cidr: null },
    { address: '::1', netmask: '', family: 'IPv6', mac: '', internal: true, cidr: null, scopeid: 0 },
  ] as const;
  const eth = [
    { address: '192.0.2.2', netmask: '255.255.255.0', family: 'IPv4', mac: '', internal: false, cidr: null },
  ] as const;

  it('in a loopback-only network namespace: loopback, or there would be no candidate at all', () => {
    expect(loopbackHostAddresses('0.0.0.0', { lo: [...lo] })).toEqual(['127.0.0.1', '::1']);
  });

  it("beside a real interface: the machine's own, plus loopback only for a peer that listens there", () => {
    expect(loopbackHostAddresses('192.0.2.2', { lo: [...lo], eth0: [...eth] })).toEqual(['::1']);
    expect(loopbackHostAddresses('127.0.0.1', { lo: [...lo], eth0: [...eth] })).toEqual(['127.0.0.1', '::1']);
  });
});
