import { PeerNode } from '../../app/peer-node.ts';
import { streamTracer } from '../../sip/index.ts';
import { parseListen, required } from '../args.ts';
import { secret } from '../secrets.ts';

/** The flags every command that runs a headless peer shares (`peer`, `dial`). */
export interface PeerFlags {
  data?: string;
  passphrase?: string;
  listen?: string;
  trace?: boolean;
}

/**
 * Opens the peer kept in --data: asks for the key store passphrase (flag, CHORDLINE_PASSPHRASE or a
 * prompt), binds --listen (default 127.0.0.1, a free port), and reports background errors as
 * `chordline COMMAND: …` lines on stderr.
 */
export async function openPeer(
  values: PeerFlags,
  command: string,
): Promise<{ node: PeerNode; dataDir: string }> {
  const dataDir = required(values.data, '--data');
  const listen = values.listen ? parseListen(values.listen) : { host: '127.0.0.1', port: 0 };
  const passphrase = await secret({
    flag: values.passphrase,
    flagName: '--passphrase',
    env: 'CHORDLINE_PASSPHRASE',
    prompt: 'Key store passphrase: ',
  });
  const node = await PeerNode.open({
    dataDir,
    passphrase,
    host: listen.host,
    port: listen.port,
    trace: values.trace ? streamTracer((s) => process.stderr.write(s)) : undefined,
    onError: (error) => process.stderr.write(`chordline ${command}: ${(error as Error).message}\n`),
  });
  return { node, dataDir };
}
