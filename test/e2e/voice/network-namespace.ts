import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A loopback-only network namespace for one voice story: its own `lo`, no other interface, so
 * that the phones, the Chromiums and the echo peer can only reach each other, and ICE has
 * nothing to choose but 127.0.0.1.
 *
 * A holder process (`unshare -n`, then `ip link set lo up`, then sleep) keeps the namespace
 * alive; every process of the story enters it with `nsenter --net=/proc/HOLDER/ns/net`, which
 * execs the program in place: its PID is the program's, pipes and signals reach it directly.
 * The test process itself stays outside: it talks to the Chromiums over Playwright's pipes and
 * to the phones over their stdout, neither of which is a network.
 *
 * Creating a namespace needs root (CAP_SYS_ADMIN). Without it the story runs on the host's
 * loopback instead, and `isolated` is false with `why`.
 */
export interface NetworkNamespace {
  readonly isolated: boolean;
  /** Why the story is not isolated, when it is not. */
  readonly why?: string;
  /** The command line that runs `command args` inside the namespace. */
  wrap(command: string, args: string[]): { command: string; args: string[] };
  /** An executable script that runs `program` inside the namespace with the arguments it is given. */
  launcher(dir: string, name: string, program: string): string;
  /** Stops the holder; the namespace goes when its last process does. Safe twice. */
  close(): void;
}

/** Waits for the holder to say the namespace's loopback is up, or for it to fail. */
export async function loopbackNamespace(): Promise<NetworkNamespace> {
  const refused = (why: string): NetworkNamespace => ({
    isolated: false,
    why,
    wrap: (command, args) => ({ command, args }),
    launcher: (_dir, _name, program) => program,
    close: () => undefined,
  });
  if (!existsSync('/usr/bin/unshare') || !existsSync('/usr/bin/nsenter')) {
    return refused('unshare or nsenter is missing (util-linux)');
  }
  const holder: ChildProcess = spawn(
    'unshare',
    ['-n', 'sh', '-c', 'ip link set lo up && echo up && exec sleep 2147483647'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let said = '';
  const up = await new Promise<boolean>((resolve) => {
    holder.stdout!.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      if (said.includes('up')) resolve(true);
    });
    holder.stderr!.on('data', (chunk: Buffer) => (said += chunk.toString()));
    holder.once('error', (error) => {
      said += error.message;
      resolve(false);
    });
    holder.once('close', () => resolve(false));
  });
  if (!up || holder.pid === undefined) {
    holder.kill('SIGKILL');
    return refused(`could not make a network namespace (${said.trim() || 'unshare -n failed'}): not root?`);
  }
  const pid = holder.pid;
  const kill = () => holder.kill('SIGKILL');
  process.once('exit', kill);
  // What the story sees inside: only lo, and lo up.
  const links = spawnSync('nsenter', [`--net=/proc/${pid}/ns/net`, '--', 'ip', '-o', 'link'], {
    encoding: 'utf8',
  });
  const names = [...links.stdout.matchAll(/^\d+: ([^:@]+)/gm)].map((m) => m[1]);
  if (links.status !== 0 || names.join(',') !== 'lo') {
    kill();
    return refused(`the namespace is not loopback-only (${links.stderr || names.join(', ')})`);
  }
  const enter = [`--net=/proc/${pid}/ns/net`, '--'];
  return {
    isolated: true,
    wrap: (command, args) => ({ command: 'nsenter', args: [...enter, command, ...args] }),
    launcher(dir, name, program) {
      const path = join(dir, name);
      writeFileSync(path, `#!/bin/sh\nexec nsenter ${enter.join(' ')} ${program} "$@"\n`);
      chmodSync(path, 0o755);
      return path;
    },
    close() {
      process.off('exit', kill);
      kill();
    },
  };
}
