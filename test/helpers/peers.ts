import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PeerNode } from '../../src-main/app/peer-node.ts';
import { generateKeyPair, issueCertificate } from '../../src-main/keystore/index.ts';
import { SipStack } from '../../src-main/sip/index.ts';
import type { TraceEvent } from '../../src-main/sip/index.ts';
import { PeerTrust } from '../../src-main/trust/peer-trust.ts';
import { loginServerFiles } from '../../src-main/trust/login-server/index.ts';
import { startNetwork } from './network.ts';

/** A network of real peers: each a PeerNode with its own data folder, logged in for real. */
export async function startPeers(users: string[]) {
  const net = await startNetwork({ users: Object.fromEntries(users.map((u) => [u, `${u}-password`])) });
  const nodes: PeerNode[] = [];
  const extraStacks: SipStack[] = [];
  const files = loginServerFiles(net.ls.dir);
  const ca = {
    certPem: readFileSync(files.caCertificate, 'utf8'),
    keyPem: readFileSync(files.caKey, 'utf8'),
  };

  return {
    ...net,
    ca,
    async peer(name: string, trace?: (e: TraceEvent) => void): Promise<PeerNode> {
      const node = await PeerNode.open({
        dataDir: net.dirs.make(`chordline-${name}-`),
        passphrase: 'p',
        trace,
      });
      nodes.push(node);
      await node.login({
        loginServer: net.ls.uri,
        aor: `sip:${name}@${net.domain}`,
        password: `${name}-password`,
      });
      return node;
    },
    /**
     * Someone holding a key and a certificate the real CA signed, but not the certificate a
     * login would give today (expired, say): they speak through PeerTrust directly.
     */
    async impostor(certificate: (publicKeyPem: string) => string) {
      const keys = await generateKeyPair();
      const stack = await SipStack.listen({ host: '127.0.0.1', port: 0 });
      extraStacks.push(stack);
      const certPem = certificate(keys.publicKeyPem);
      const trust = new PeerTrust({ privateKeyPem: keys.privateKeyPem, certPem, caCertPem: ca.certPem });
      return { stack, trust, certPem };
    },
    expiredCertificate(aor: string) {
      return (publicKeyPem: string) =>
        issueCertificate({
          ca,
          aor,
          publicKeyPem,
          validitySeconds: 86400,
          notBefore: new Date(Date.now() - 3 * 86400_000),
        }).certPem;
    },
    stop() {
      for (const n of nodes) n.stop();
      for (const s of extraStacks) s.close();
      net.stop();
    },
  };
}

export function lsDir(net: { ls: { dir: string } }): string {
  return join(net.ls.dir);
}
