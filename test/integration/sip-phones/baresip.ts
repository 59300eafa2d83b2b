import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import type { Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One baresip event, as its ctrl_tcp module reports it (JSON in a netstring). */
export interface BaresipEvent {
  event?: boolean;
  response?: boolean;
  type?: string;
  class?: string;
  param?: string;
  peeruri?: string;
  ok?: boolean;
  data?: string;
}

/** A free TCP port on 127.0.0.1 (ctrl_tcp wants a fixed one in its config). */
async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A real baresip (Debian's baresip-core) as the desk phone: a generated config folder (-f) with
 * G.711 only, a 440 Hz sine as its microphone (ausine), no sound card, and ctrl_tcp so that the
 * test can dial, answer and hang up, and hear its events.
 */
export async function startBaresip(options: {
  dir: string;
  aor: string;
  password: string;
  /** The bridge: registrar and outbound proxy. */
  proxy: string;
  autoAnswer?: boolean;
}) {
  const ctrlPort = await freeTcpPort();
  const sipPort = await freeTcpPort();
  writeFileSync(
    join(options.dir, 'config'),
    [
      'poll_method epoll',
      `sip_listen 127.0.0.1:${sipPort}`,
      'sip_trans_def udp',
      'audio_source ausine,440',
      'audio_player aubridge,nowhere',
      'audio_alert aubridge,nowhere',
      'ausrc_srate 48000',
      'ausrc_channels 2',
      'rtp_tos 0',
      'module_path /usr/lib/baresip/modules',
      'module g711.so',
      'module ausine.so',
      'module aubridge.so',
      'module_app account.so',
      'module_app menu.so',
      'module_app ctrl_tcp.so',
      `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
      '',
    ].join('\n'),
  );
  const answer = options.autoAnswer ? ';answermode=auto' : '';
  writeFileSync(
    join(options.dir, 'accounts'),
    `<${options.aor}>;auth_pass=${options.password};outbound="${options.proxy}";regint=600;audio_codecs=PCMU${answer}\n`,
  );
  writeFileSync(join(options.dir, 'contacts'), '');
  const child: ChildProcess = spawn('baresip', ['-f', options.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));

  const events: BaresipEvent[] = [];
  const listeners = new Set<() => void>();
  let socket: Socket | undefined;
  for (let attempt = 0; attempt < 100 && !socket; attempt++) {
    socket = await new Promise<Socket | undefined>((resolve) => {
      const s = connect(ctrlPort, '127.0.0.1', () => resolve(s));
      s.on('error', () => resolve(undefined));
    });
    if (!socket) await new Promise((r) => setTimeout(r, 50));
  }
  if (!socket) throw new Error(`baresip did not open its control port: ${output}`);
  let buffer = '';
  socket.on('data', (d: Buffer) => {
    buffer += d.toString('utf8');
    for (;;) {
      const colon = buffer.indexOf(':');
      if (colon < 0) break;
      const length = Number(buffer.slice(0, colon));
      if (buffer.length < colon + 1 + length + 1) break;
      events.push(JSON.parse(buffer.slice(colon + 1, colon + 1 + length)) as BaresipEvent);
      buffer = buffer.slice(colon + 1 + length + 1);
      for (const l of listeners) l();
    }
  });

  return {
    events,
    output: () => output,
    /** Sends a ctrl_tcp command (dial, hangup, accept…). */
    command(command: string, params = '') {
      const json = JSON.stringify({ command, params, token: String(Date.now()) });
      socket?.write(`${Buffer.byteLength(json)}:${json},`);
    },
    /** Resolves with the first event (from now on, or already seen after `since`) that matches. */
    waitFor(match: (e: BaresipEvent) => boolean, since = 0): Promise<BaresipEvent> {
      return new Promise((resolve) => {
        const check = () => {
          const found = events.slice(since).find(match);
          if (!found) return;
          listeners.delete(check);
          resolve(found);
        };
        listeners.add(check);
        check();
      });
    },
    async stop() {
      socket?.destroy();
      child.kill('SIGTERM');
      await exited;
    },
  };
}
