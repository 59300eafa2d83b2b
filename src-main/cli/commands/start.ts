import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { joinIdentityLayer } from '../../app/identity-layer.ts';
import { PeerNode } from '../../app/peer-node.ts';
import { writeFileAtomic } from '../../keystore/index.ts';
import { PortInUseError, streamTracer } from '../../sip/index.ts';
import { initLoginServer, LoginServer } from '../../trust/login-server/index.ts';
import { parse } from '../args.ts';
import { output, untilSignalled } from '../output.ts';

export const START_HELP = `chordline start: this computer's phone with embedded defaults

  chordline start [--data DIR] [--trace] [--json]

  The first start creates a network of your own in DIR (default ~/.chordline, or
  CHORDLINE_DATA): a login server with its CA, a user for you, and your certificate. Later
  starts reuse it. Nothing to set up first. Ctrl-C stops it.
`;

/** Secrets the embedded network made for itself; the desktop app will keep them in the OS keychain. */
interface EmbeddedSecrets {
  domain: string;
  user: string;
  password: string;
  passphrase: string;
}

export async function startCommand(argv: string[]): Promise<number> {
  if (argv[0] === '--help' || argv[0] === 'help') {
    process.stdout.write(START_HELP);
    return 0;
  }
  const { values } = parse(argv, {
    data: { type: 'string' },
    trace: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const dir = values.data ?? process.env.CHORDLINE_DATA ?? join(homedir(), '.chordline');
  const out = output(values.json ?? false);
  const trace = values.trace ? streamTracer((s) => process.stderr.write(s)) : undefined;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const secrets = await embeddedSecrets(dir);

  const lsDir = join(dir, 'login-server');
  const fresh = !existsSync(join(lsDir, 'config.json'));
  if (fresh) {
    await initLoginServer(lsDir, { domain: secrets.domain, listen: '127.0.0.1:5060' });
  }
  const ls = await LoginServer.open(lsDir);
  if (fresh) ls.store.addUser(secrets.user, secrets.domain, secrets.password);
  try {
    await ls.start({ trace });
  } catch (error) {
    // Another phone or SIP program has 5060: the embedded server needs no fixed port.
    if (!(error instanceof PortInUseError)) throw error;
    await ls.start({ port: 0, trace });
  }

  const peer = await PeerNode.open({ dataDir: join(dir, 'phone'), passphrase: secrets.passphrase, trace });
  try {
    const resumed = (await peer.settings())?.loginServer === ls.uri && (await peer.resume());
    if (!resumed)
      await peer.login({
        loginServer: ls.uri,
        aor: `sip:${secrets.user}@${secrets.domain}`,
        password: secrets.password,
      });
    // The embedded network's first peer starts the identity ring that others join.
    await joinIdentityLayer(peer, { bootstrap: [] });
    const stopped = untilSignalled();
    const s = peer.status();
    out.line(fresh ? `Created a new Chordline network in ${dir}` : `Chordline network in ${dir}`);
    out.table([
      ['you are', s.aor ?? '-'],
      ['your NodeID', s.nodeId ?? '-'],
      ['this phone', s.uri],
      ['login server', `${ls.uri} (CA ${ls.caFingerprint.slice(0, 16)}...)`],
      ['add people', `npx chordline ls user add NAME --data ${lsDir}`],
      ['they join with', `npx chordline peer --data DIR --ls ${ls.uri} --user NAME`],
    ]);
    out.line('This is the headless phone; the desktop window comes with the UI. Ctrl-C stops it.');
    out.result({ dataDir: dir, loginServer: ls.uri, caFingerprint: ls.caFingerprint, peer: s });
    await stopped;
    await peer.leave();
    return 0;
  } finally {
    peer.stop();
    ls.stop();
  }
}

async function embeddedSecrets(dir: string): Promise<EmbeddedSecrets> {
  const file = join(dir, 'secrets.json');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as EmbeddedSecrets;
  } catch {
    const user = (
      userInfo()
        .username.toLowerCase()
        .replace(/[^a-z0-9._-]/g, '') || 'me'
    ).slice(0, 32);
    const secrets: EmbeddedSecrets = {
      domain: 'chordline.local',
      user,
      password: randomBytes(18).toString('base64url'),
      passphrase: randomBytes(18).toString('base64url'),
    };
    await writeFileAtomic(file, JSON.stringify(secrets, null, 2) + '\n', 0o600);
    return secrets;
  }
}
