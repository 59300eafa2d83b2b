import { readFileSync } from 'node:fs';

/**
 * Datagrams the kernel dropped because a socket's receive buffer was full (Linux
 * /proc/net/snmp, Udp RcvbufErrors), for the whole machine; undefined elsewhere. A rise during a
 * step means someone (usually the node under test) fell behind by more than its buffer holds.
 */
export function udpReceiveBufferErrors(): number | undefined {
  try {
    const lines = readFileSync('/proc/net/snmp', 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('Udp:'));
    const names = lines[0].split(/\s+/);
    const values = lines[1].split(/\s+/);
    const at = names.indexOf('RcvbufErrors');
    return at < 0 ? undefined : Number(values[at]);
  } catch {
    return undefined;
  }
}
