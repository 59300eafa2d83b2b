import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { streamTracer } from '../../sip/index.ts';
import { parse, parseListen } from '../args.ts';
import { CliError } from '../cli-error.ts';
import { output } from '../output.ts';
import { runBrowserMode } from './start-browser.ts';
import { launchDesktop } from './start-desktop.ts';

export const START_HELP = `chordline start: this computer's phone

  chordline start [--data DIR] [--web] [--port PORT] [--sip-port PORT] [--host ADDRESS]
                  [--ui DIR] [--trace] [--json]

  Opens the desktop app (Electron). Where Electron cannot start (not installed, no display)
  it says why in one line and serves the same phone to your browser instead, at an address
  it prints: http://127.0.0.1:PORT/?token=... (only this computer can open it, and only with
  the token). --web goes straight to the browser ("npm run start:web").

  DIR (default ~/.chordline, or CHORDLINE_DATA) holds the phone: contacts, call history,
  settings, the key store, and the login server of a network the phone created. Two data
  folders and two ports run two phones side by side.

  A new data folder: the browser's phone offers to create a network or to join one. Without
  --web, when Electron cannot start, a new folder gets a network of its own at once (nothing
  to set up; add people from the phone's network screen), as the headless phone always did.

  --port PORT      the browser address's port (default 0: any free one)
  --sip-port PORT  the phone's SIP port (default: the setting, else the last one used)
  --host ADDRESS   the address SIP listens on, for other computers (default 127.0.0.1)
  --ui DIR         serve the UI from DIR as it is (default out/renderer, built when stale)
  --trace          print every SIP message sent and received
  Ctrl-C stops it: calls are hung up, the ring is told, then the phone exits.
`;

export async function startCommand(argv: string[]): Promise<number> {
  if (argv[0] === '--help' || argv[0] === 'help') {
    process.stdout.write(START_HELP);
    return 0;
  }
  const { values } = parse(argv, {
    data: { type: 'string' },
    web: { type: 'boolean' },
    port: { type: 'string' },
    'sip-port': { type: 'string' },
    host: { type: 'string' },
    ui: { type: 'string' },
    trace: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const dataDir = resolve(values.data ?? (process.env.CHORDLINE_DATA || join(homedir(), '.chordline')));
  const out = output(values.json ?? false);
  const port = portOption(values.port, '--port') ?? 0;
  const sipPort = portOption(values['sip-port'], '--sip-port');
  const host = values.host === undefined ? undefined : parseListen(`${values.host}:0`).host;

  if (!values.web) {
    const desktop = await launchDesktop({ dataDir });
    if (desktop.started) return desktop.exited;
    // The one line the issue asks for: why there is no window, and what happens instead.
    process.stderr.write(
      `chordline: no desktop window, ${desktop.why}; serving the phone to your browser instead\n`,
    );
  }
  return runBrowserMode({
    dataDir,
    port,
    sipPort,
    host,
    uiDir: values.ui === undefined ? undefined : resolve(values.ui),
    createIfNew: !values.web,
    trace: values.trace ? streamTracer((s) => process.stderr.write(s)) : undefined,
    out,
  });
}

function portOption(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!/^\d{1,5}$/.test(text) || port > 65535) {
    throw new CliError(`${flag} wants a port number from 0 to 65535 (0: any free one), not "${text}"`, true);
  }
  return port;
}
