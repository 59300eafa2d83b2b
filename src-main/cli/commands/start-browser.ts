import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { AppStatus } from '../../ipc/contract.ts';
import { passphraseFromFile } from '../../phone/passphrase-file.ts';
import { PhoneCore } from '../../phone/phone-core.ts';
import type { Tracer } from '../../sip/index.ts';
import { RendererFolder } from '../../web/renderer-folder.ts';
import { startWebServer } from '../../web/web-server.ts';
import type { WebServer } from '../../web/web-server.ts';
import { CliError } from '../cli-error.ts';
import type { Output } from '../output.ts';
import { untilSignalled } from '../output.ts';

export interface BrowserModeOptions {
  dataDir: string;
  /** The web server's port; 0 for any free one. */
  port: number;
  sipPort?: number;
  host?: string;
  /** Serve the UI from this folder as it is (no build). */
  uiDir?: string;
  /**
   * On a new data folder, create a network at once with the embedded defaults instead of
   * waiting for the person to choose (what `chordline start` has always done).
   */
  createIfNew: boolean;
  trace?: Tracer;
  out: Output;
}

/** The domain of a network made with no questions asked. */
export const EMBEDDED_DOMAIN = 'chordline.local';

/**
 * Browser mode: the phone's core in this process, its UI on http://127.0.0.1:PORT/?token=...
 * Prints the address and, once the phone is in a network, who it is and how others join; runs
 * until Ctrl-C (or SIGTERM), then leaves the ring gracefully and closes everything.
 */
export async function runBrowserMode(options: BrowserModeOptions): Promise<number> {
  const { out, dataDir } = options;
  // Listen for Ctrl-C before anything can take long, so that no signal falls in between.
  const stopped = untilSignalled();
  const core = await PhoneCore.open({
    dataDir,
    mode: 'browser',
    keyPassphrase: () => passphraseFromFile(dataDir),
    host: options.host,
    sipPort: options.sipPort,
    trace: options.trace,
    onError: (error) => process.stderr.write(`chordline: ${(error as Error).message ?? error}\n`),
  });
  const ui = options.uiDir
    ? RendererFolder.fixed(options.uiDir)
    : RendererFolder.build((why) =>
        process.stderr.write(`chordline: ${why}; the phone runs without its screen\n`),
      );
  let web: WebServer | undefined;
  try {
    web = await startWebServer({ phone: core, port: options.port, ui: () => ui.current() }).catch((error) => {
      if ((error as { code?: string }).code === 'EADDRINUSE') {
        throw new CliError(
          `port ${options.port} is in use: choose another with --port, or --port 0 for any free one`,
        );
      }
      throw error;
    });
    let status = await core.whenSettled();
    let created = false;
    if (status.phase === 'welcome' && options.createIfNew) {
      status = await core.invoke('createNetwork', embeddedNetwork()).catch(() => core.status());
      created = status.phase === 'ready';
    }
    let shown = describe(out, status, dataDir, created);
    core.on('appChanged', (next) => {
      if (next.phase === 'ready' && next.identity?.aor !== shown) shown = describe(out, next, dataDir, false);
    });
    out.line(`Open ${web.url} in your browser (it works on this computer only).`);
    out.line('Ctrl-C stops it.');
    out.result({ url: web.url, port: web.port, dataDir, status });
    await stopped;
    return 0;
  } finally {
    await ui.stop();
    await core.stop();
    await web?.close();
  }
}

/** Prints who the phone is (or why it is not in a network); returns the AOR shown. */
function describe(out: Output, status: AppStatus, dataDir: string, created: boolean): string | undefined {
  if (status.phase !== 'ready' || !status.identity || !status.network) {
    if (status.problem) out.line(`The phone could not start: ${status.problem}`);
    else out.line(`No network yet in ${dataDir}: open the address below to create one or join one.`);
    return undefined;
  }
  const { identity, network } = status;
  out.line(created ? `Created a new Chordline network in ${dataDir}` : `Chordline network in ${dataDir}`);
  out.table([
    ['you are', identity.aor],
    ['your NodeID', identity.nodeId],
    ['this phone', network.address],
    ['login server', `${network.loginServer} (CA ${network.caFingerprint.slice(0, 16)}...)`],
    ...(network.hosted
      ? ([
          ['add people', `npx chordline ls user add NAME --data ${join(dataDir, 'network')}`],
          ['they join with', `${network.loginServer} (their phone's "Join a network")`],
          ['echo test', `${network.echoTest} (call it to hear your own voice back)`],
        ] as Array<[string, string]>)
      : []),
  ]);
  if (status.problem) out.line(`Note: ${status.problem}`);
  return identity.aor;
}

/** A network of one's own with nothing asked: this account's name, a password nobody needs to know. */
function embeddedNetwork() {
  const user =
    userInfo()
      .username.toLowerCase()
      .replace(/[^a-z0-9._-]/g, '')
      .slice(0, 32) || 'me';
  return { domain: EMBEDDED_DOMAIN, user, password: randomBytes(18).toString('base64url') };
}
