import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinIdentityLayer } from '../../../src-main/app/identity-layer.ts';
import { PeerNode } from '../../../src-main/app/peer-node.ts';
import { chordline, chordlineDaemon } from '../../helpers/cli.ts';
import { tempDirs } from '../../helpers/temp-dir.ts';
import { webrtcCaller } from './webrtc-caller.ts';

async function freePort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

const DEADLINE = { timeout: 20_000, interval: 50 };

/**
 * `chordline peer --echo` as a real process: someone sets up an echo test user, starts it from
 * the shell, calls it with WebRTC media and presses keys; `peer state` shows what it heard.
 */
describe('chordline peer --echo', () => {
  const dirs = tempDirs();
  let root: string;
  let lsUri: string;
  let server: Awaited<ReturnType<typeof chordlineDaemon>>;
  const nodes: PeerNode[] = [];

  beforeAll(async () => {
    root = dirs.make('chordline-echo-cli-');
    const lsDir = join(root, 'ls');
    const port = await freePort();
    lsUri = `sip:ls@127.0.0.1:${port}`;
    const init = ['ls', 'init', '--data', lsDir, '--domain', 'example.com', '--listen', `127.0.0.1:${port}`];
    expect((await chordline(init)).code).toBe(0);
    for (const name of ['echo', 'alice']) {
      const add = await chordline(['ls', 'user', 'add', name, '--data', lsDir, '--password', `${name}-pw`]);
      expect(add.code).toBe(0);
    }
    server = await chordlineDaemon(['ls', 'start', '--data', lsDir], /Ctrl-C stops it/);
  });

  afterAll(async () => {
    for (const node of nodes) node.stop();
    await server?.stop();
    dirs.cleanup();
  });

  it('--echo with --auto-answer is a usage error in one line', async () => {
    const run = await chordline(['peer', '--data', join(root, 'both'), '--echo', '--auto-answer']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      'chordline: --echo and --auto-answer both answer every call: give one of them',
    ]);
  });

  it('answers a WebRTC call, echoes it, and "peer state" shows the keys it heard', async () => {
    const echoDir = join(root, 'echo');
    const login = ['--ls', lsUri, '--user', 'echo', '--password', 'echo-pw', '--passphrase', 'pp'];
    const echoPeer = await chordlineDaemon(['peer', '--data', echoDir, ...login, '--echo'], /Ctrl-C leaves/);
    try {
      const echoUri = /is up at (sip:\S+)/.exec(echoPeer.output())![1];
      const alice = await PeerNode.open({ dataDir: dirs.make('chordline-alice-'), passphrase: 'p' });
      nodes.push(alice);
      await alice.login({ loginServer: lsUri, aor: 'sip:alice@example.com', password: 'alice-pw' });
      await joinIdentityLayer(alice, { bootstrap: [{ nodeUrl: echoUri }] });

      const media = await webrtcCaller();
      const call = alice.dial('sip:echo@example.com', { sdp: media.offer });
      expect(await call.answered).toBe(true);
      await media.accept(call.remoteSdp!);
      await expect.poll(media.connected, DEADLINE).toBe(true);
      await media.sendAudio(Buffer.from('hello echo'));
      await expect
        .poll(() => media.received.map((p) => p.payload.toString()), DEADLINE)
        .toEqual(['hello echo']);
      for (const event of [1, 5, 11]) await media.sendDigit(event);

      const state = async () =>
        JSON.parse((await chordline(['peer', 'state', '--data', echoDir, '--json'])).stdout);
      await expect.poll(async () => (await state()).echo?.lastCall?.digits, DEADLINE).toBe('15#');
      expect((await state()).echo).toMatchObject({ answered: 1, inProgress: 1 });
      expect((await chordline(['peer', 'state', '--data', echoDir])).stdout).toMatch(
        /last echo call\s+from sip:alice@example\.com: echoing, keys "15#", media \d+ ms after the answer/,
      );
      expect(echoPeer.output()).toMatch(/echo: call from sip:alice@example\.com: answered/);
      expect(echoPeer.output()).toMatch(/echo: call from sip:alice@example\.com: heard key # \(15# so far\)/);

      call.hangup();
      await call.ended;
      await expect.poll(async () => (await state()).echo?.inProgress, DEADLINE).toBe(0);
      await expect
        .poll(() => echoPeer.output(), DEADLINE)
        .toMatch(/ended \(.*\): \d+ packets heard, 1 sent back, keys 15#/);
      await media.close();
    } finally {
      expect(await echoPeer.stop('SIGINT')).toBe(0);
    }
  }, 60_000);
});
