/**
 * Login clients, in a process (and core) apart from the login server: users with key pairs made
 * in advance, both REGISTERs of each login signed in advance, many logins in flight. Run by
 * worker-host.ts.
 */
import type dgram from 'node:dgram';
import { SipStack } from '../../src-main/sip/index.ts';
import type { Endpoint } from '../../src-main/sip/index.ts';
import { serveWorker } from '../worker-serve.ts';
import { bindLoadSocket, endpointOf } from '../udp-socket.ts';
import { issuedCheck } from './issued-check.ts';
import { loginLoop } from './login-loop.ts';
import type { LoginLoopResult } from './login-loop.ts';
import { makeUsers, prepareLogins } from './prepared-login.ts';
import type { LoginUser, PreparedLogin } from './prepared-login.ts';

export interface ClientSetup {
  loginServer: string;
  domain: string;
  caCertPem: string;
  users: Array<[name: string, password: string]>;
}

export interface ClientRun {
  concurrency: number;
  durationMs: number;
  timeoutMs: number;
}

export interface ClientRunResult extends Omit<LoginLoopResult, 'sample'> {
  sampled: number;
  sampleVerified: number;
}

let stack: SipStack | undefined;
let socket: dgram.Socket | undefined;
let users: LoginUser[] = [];
let setup: ClientSetup | undefined;
let target: Endpoint = { address: '127.0.0.1', port: 0 };
let check: (text: string, nodeId: string) => boolean = () => false;
let prepared: PreparedLogin[] = [];
let batch = 0;

serveWorker(
  {
    async setup(options: ClientSetup): Promise<{ users: number }> {
      setup = options;
      target = endpointOf(options.loginServer);
      check = issuedCheck(options.caCertPem);
      // Only builds requests (signedRequest needs a stack); the socket below sends them.
      stack = await SipStack.listen({ host: '127.0.0.1', port: 0, userAgent: 'Chordline bench' });
      socket = await bindLoadSocket();
      users = await makeUsers(options.users);
      return { users: users.length };
    },

    prepare({ count }: { count: number }): { count: number; ms: number } {
      if (!stack || !socket || !setup) throw new Error('setup first');
      const t0 = performance.now();
      prepared = [];
      prepared = prepareLogins({
        stack,
        users,
        loginServer: setup.loginServer,
        domain: setup.domain,
        sentBy: `127.0.0.1:${socket.address().port}`,
        count,
        batch: `${process.pid}b${batch++}`,
      });
      return { count, ms: performance.now() - t0 };
    },

    async run(options: ClientRun): Promise<ClientRunResult> {
      if (!socket || !setup) throw new Error('setup first');
      const result = await loginLoop({
        socket,
        target,
        loginServer: setup.loginServer,
        logins: prepared,
        sampleEvery: Math.max(1, Math.floor(prepared.length / 100)),
        ...options,
      });
      prepared = [];
      const { sample, ...rest } = result;
      return {
        ...rest,
        sampled: sample.length,
        sampleVerified: sample.filter((s) => check(s.text, s.login.user.nodeId)).length,
      };
    },
  },
  () => {
    socket?.close();
    stack?.close();
  },
);
