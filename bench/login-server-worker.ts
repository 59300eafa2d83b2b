/**
 * A real LoginServer in a process of its own, on 127.0.0.1, with the users a benchmark asks for.
 * Run by worker-host.ts; not a command of its own.
 */
import { initLoginServer, LoginServer } from '../src-main/trust/login-server/index.ts';
import { processCpu } from './process-cpu.ts';
import type { ProcessCpu } from './process-cpu.ts';
import { tempFolders } from './temp-folders.ts';
import { serveWorker } from './worker-serve.ts';

export interface LoginServerStart {
  domain: string;
  users: Array<[name: string, password: string]>;
}

export interface LoginServerStarted {
  uri: string;
  caCertPem: string;
}

const folders = tempFolders();
let server: LoginServer | undefined;

serveWorker(
  {
    async start({ domain, users }: LoginServerStart): Promise<LoginServerStarted> {
      const dir = folders.make('ls');
      await initLoginServer(dir, { domain, listen: '127.0.0.1:0', digestAlgorithms: ['SHA-256', 'MD5'] });
      server = await LoginServer.open(dir);
      for (const [name, password] of users) server.store.addUser(name, domain, password);
      await server.start({ host: '127.0.0.1', port: 0 });
      return { uri: server.uri, caCertPem: server.caCertificate };
    },
    cpu: (): ProcessCpu & { logins: number } => ({
      ...processCpu(),
      logins: server?.context.stats.logins ?? 0,
    }),
  },
  () => {
    server?.stop();
    folders.removeAll();
  },
);
