import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chordline, chordlineDaemon } from '../../helpers/cli.ts';
import { tempDirs } from '../../helpers/temp-dir.ts';

async function freePort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/**
 * An operator sets up a login server from the shell, and users run headless peers: every command
 * as a real process, every failure one clear line and a non-zero exit.
 */
describe('the chordline command line', () => {
  const dirs = tempDirs();
  let root: string;
  let lsDir: string;
  let lsUri: string;
  let server: Awaited<ReturnType<typeof chordlineDaemon>>;

  beforeAll(async () => {
    root = dirs.make('chordline-cli-');
    lsDir = join(root, 'ls');
    const port = await freePort();
    lsUri = `sip:ls@127.0.0.1:${port}`;
    const init = await chordline([
      'ls',
      'init',
      '--data',
      lsDir,
      '--domain',
      'example.com',
      '--listen',
      `127.0.0.1:${port}`,
    ]);
    expect(init.code).toBe(0);
    expect(
      (await chordline(['ls', 'user', 'add', 'alice', '--data', lsDir, '--password', 'alice-pw'])).code,
    ).toBe(0);
    expect(
      (
        await chordline(['ls', 'user', 'add', 'bob', '--data', lsDir], {
          env: { CHORDLINE_PASSWORD: 'bob-pw' },
        })
      ).code,
    ).toBe(0);
    server = await chordlineDaemon(['ls', 'start', '--data', lsDir], /Ctrl-C stops it/);
  });

  afterAll(async () => {
    await server?.stop();
    dirs.cleanup();
  });

  it('prints help, and an unknown command is one line and exit status 2', async () => {
    const help = await chordline(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/ls\s+run and administer a login server/);
    const wrong = await chordline(['dial-the-moon']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim().split('\n')).toEqual([
      'chordline: unknown command "dial-the-moon" (try: chordline --help)',
    ]);
  });

  it('a bad flag is one line and exit status 2', async () => {
    const run = await chordline(['ls', 'start', '--data', lsDir, '--listen', 'nowhere']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/--listen wants HOST:PORT/);
  });

  it('a second login server on a busy port says which port and exits 1', async () => {
    const run = await chordline(['ls', 'start', '--data', lsDir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^chordline: UDP port \d+ on 127\.0\.0\.1 is already in use/);
  });

  it('the user list shows who can log in', async () => {
    const run = await chordline(['ls', 'user', 'list', '--data', lsDir, '--json']);
    expect(JSON.parse(run.stdout).map((u: { aor: string }) => u.aor)).toEqual([
      'sip:alice@example.com',
      'sip:bob@example.com',
    ]);
  });

  it('Alice runs a peer: it logs in, reports itself, and leaves cleanly on SIGINT', async () => {
    const aliceDir = join(root, 'alice');
    const peer = await chordlineDaemon(
      [
        'peer',
        '--data',
        aliceDir,
        '--ls',
        lsUri,
        '--user',
        'alice',
        '--password',
        'alice-pw',
        '--passphrase',
        'pp',
      ],
      /Ctrl-C leaves/,
    );
    expect(peer.output()).toMatch(/Peer sip:alice@example\.com is up at sip:127\.0\.0\.1:\d+/);
    expect(peer.output()).toMatch(/NodeID\s+[0-9a-f]{40}/);
    expect(await peer.stop('SIGINT')).toBe(0);

    // The next start needs no login: the certificate is in the key store.
    const again = await chordlineDaemon(['peer', '--data', aliceDir, '--passphrase', 'pp'], /Ctrl-C leaves/);
    expect(again.output()).toMatch(/Peer sip:alice@example\.com is up/);
    expect(await again.stop('SIGTERM')).toBe(0);
  });

  it('a wrong password is one line naming the user, exit 1', async () => {
    const run = await chordline([
      'peer',
      '--data',
      join(root, 'bob-wrong'),
      '--ls',
      lsUri,
      '--user',
      'bob',
      '--password',
      'nope',
      '--passphrase',
      'pp',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('chordline: Wrong password for sip:bob@example.com');
  });

  it('an unreachable login server is one line saying what to check, exit 1', async () => {
    const port = await freePort();
    const run = await chordline([
      'peer',
      '--data',
      join(root, 'carol'),
      '--ls',
      `sip:ls@127.0.0.1:${port}`,
      '--user',
      'carol',
      '--password',
      'x',
      '--passphrase',
      'pp',
      '--timeout',
      '1',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      `chordline: The login server sip:ls@127.0.0.1:${port} did not answer: is it running, and is the address right?`,
    );
  });

  it('Bob exports his identity as PKCS#12, openssl reads it, and it imports on a new computer', async () => {
    const bobDir = join(root, 'bob');
    const peer = await chordlineDaemon(
      [
        'peer',
        '--data',
        bobDir,
        '--ls',
        lsUri,
        '--user',
        'bob',
        '--password',
        'bob-pw',
        '--passphrase',
        'pp',
      ],
      /Ctrl-C leaves/,
    );
    await peer.stop();
    const shown = JSON.parse(
      (await chordline(['cert', 'show', '--data', bobDir, '--passphrase', 'pp', '--json'])).stdout,
    );
    expect(shown.aor).toBe('sip:bob@example.com');

    const p12 = join(root, 'bob.p12');
    const exported = await chordline([
      'cert',
      'export',
      '--data',
      bobDir,
      '--out',
      p12,
      '--password',
      'export-pw',
      '--passphrase',
      'pp',
    ]);
    expect(exported.code).toBe(0);
    const info = execFileSync(
      'openssl',
      ['pkcs12', '-in', p12, '-info', '-noout', '-passin', 'pass:export-pw'],
      { stdio: 'pipe' },
    );
    expect(info.toString() + '').toBeDefined();

    const laptop = join(root, 'bob-laptop');
    const imported = await chordline([
      'cert',
      'import',
      '--data',
      laptop,
      '--in',
      p12,
      '--password',
      'export-pw',
      '--passphrase',
      'new-pp',
    ]);
    expect(imported.code).toBe(0);
    const moved = JSON.parse(
      (await chordline(['cert', 'show', '--data', laptop, '--passphrase', 'new-pp', '--json'])).stdout,
    );
    expect(moved.nodeId).toBe(shown.nodeId);
    expect(moved.fingerprint).toBe(shown.fingerprint);

    const wrong = await chordline(['cert', 'show', '--data', laptop, '--passphrase', 'not-it']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrong.stderr).toMatch(/passphrase/i);

    const revoked = await chordline([
      'ls',
      'revoke',
      shown.serial,
      '--data',
      lsDir,
      '--reason',
      'keyCompromise',
    ]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/Revoked sip:bob@example\.com's certificate/);
  });

  it('"npm start" on a fresh machine: a network of its own, no server to set up, and the same one next time', async () => {
    const home = join(root, 'home');
    const first = await chordlineDaemon(['start', '--data', home], /Ctrl-C stops it/);
    expect(first.output()).toMatch(/Created a new Chordline network/);
    expect(first.output()).toMatch(/you are\s+sip:[a-z0-9._-]+@chordline\.local/);
    expect(first.output()).toMatch(/echo test\s+sip:echo@chordline\.local/);
    const nodeId = /your NodeID\s+([0-9a-f]{40})/.exec(first.output())?.[1];
    expect(nodeId).toBeDefined();
    expect(await first.stop('SIGINT')).toBe(0);

    const second = await chordlineDaemon(['start', '--data', home], /Ctrl-C stops it/);
    expect(second.output()).not.toMatch(/Created a new/);
    expect(second.output()).toContain(nodeId!);
    expect(await second.stop('SIGTERM')).toBe(0);
  });

  it('two headless peers form a ring, and "peer state" shows each one the other as successor', async () => {
    const carolDir = join(root, 'carol-ring');
    const daveDir = join(root, 'dave-ring');
    for (const name of ['carol', 'dave']) {
      expect(
        (await chordline(['ls', 'user', 'add', name, '--data', lsDir, '--password', `${name}-pw`])).code,
      ).toBe(0);
    }
    const carol = await chordlineDaemon(
      [
        'peer',
        '--data',
        carolDir,
        '--ls',
        lsUri,
        '--user',
        'carol',
        '--password',
        'carol-pw',
        '--passphrase',
        'pp',
      ],
      /Ctrl-C leaves/,
    );
    const carolUri = /is up at (sip:\S+)/.exec(carol.output())![1];
    const dave = await chordlineDaemon(
      [
        'peer',
        '--data',
        daveDir,
        '--ls',
        lsUri,
        '--user',
        'dave',
        '--password',
        'dave-pw',
        '--passphrase',
        'pp',
        '--bootstrap',
        carolUri,
      ],
      /Ctrl-C leaves/,
    );
    const stateOf = async (dir: string) =>
      JSON.parse((await chordline(['peer', 'state', '--data', dir, '--json'])).stdout);
    const carolId = (await stateOf(carolDir)).overlay.self.id;
    await expect
      .poll(async () => (await stateOf(daveDir)).overlay.tables.successors[0]?.id, { timeout: 15_000 })
      .toBe(carolId);
    const daveId = (await stateOf(daveDir)).overlay.self.id;
    await expect
      .poll(async () => (await stateOf(carolDir)).overlay.tables.successors[0]?.id, { timeout: 15_000 })
      .toBe(daveId);
    const plain = await chordline(['peer', 'state', '--data', daveDir]);
    expect(plain.stdout).toMatch(/predecessor\s+[0-9a-f]{12}/);
    // The bindings the node stores (its own range's, and replicas) are listed with their contact.
    await expect
      .poll(async () => (await stateOf(daveDir)).bindings.length, { timeout: 30_000 })
      .toBeGreaterThan(0);
    expect((await chordline(['peer', 'state', '--data', daveDir])).stdout).toMatch(
      /sip:(carol|dave)@example\.com → sip:127\.0\.0\.1:\d+ \(until /,
    );
    expect(await dave.stop('SIGINT')).toBe(0);
    expect(await carol.stop('SIGINT')).toBe(0);
  }, 60_000);

  it('a peer with --auto-answer takes a call that "chordline dial" places through the ring', async () => {
    for (const name of ['erin', 'frank']) {
      expect(
        (await chordline(['ls', 'user', 'add', name, '--data', lsDir, '--password', `${name}-pw`])).code,
      ).toBe(0);
    }
    const frank = await chordlineDaemon(
      [
        'peer',
        '--data',
        join(root, 'frank'),
        '--ls',
        lsUri,
        '--user',
        'frank',
        '--password',
        'frank-pw',
      ].concat(['--passphrase', 'pp', '--auto-answer']),
      /Ctrl-C leaves/,
    );
    const frankUri = /is up at (sip:\S+)/.exec(frank.output())![1];
    const erin = [
      '--data',
      join(root, 'erin'),
      '--ls',
      lsUri,
      '--user',
      'erin',
      '--password',
      'erin-pw',
    ].concat(['--passphrase', 'pp', '--bootstrap', frankUri]);

    const call = await chordline(['dial', 'sip:frank@example.com', ...erin, '--json']);
    expect(call.code).toBe(0);
    const result = JSON.parse(call.stdout);
    expect(result).toMatchObject({ target: 'sip:frank@example.com', answered: true, status: 200 });
    expect(result.hops).toBeGreaterThanOrEqual(0);
    expect(result.setup_ms).toBeGreaterThan(0);
    await expect.poll(() => frank.output()).toMatch(/call from sip:erin@example\.com: answered/);

    // The second run starts from the certificate kept in Erin's folder; nobody is "ghost".
    const nobody = await chordline([
      'dial',
      'sip:ghost@example.com',
      ...erin.slice(0, 2),
      '--passphrase',
      'pp',
    ]);
    expect(nobody.code).toBe(1);
    expect(nobody.stdout).toMatch(/status\s+404 Not Found: nobody is registered as sip:ghost@example\.com/);

    const typo = await chordline(['dial', 'frank', ...erin]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/"frank" is not a user's address: write it as sip:USER@DOMAIN/);
    expect(await frank.stop('SIGINT')).toBe(0);
  }, 60_000);
});
