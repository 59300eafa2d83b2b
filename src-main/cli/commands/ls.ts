import { join } from 'node:path';
import { streamTracer } from '../../sip/index.ts';
import { REVOCATION_REASONS } from '../../overlay/xml/index.ts';
import type { RevocationReason } from '../../overlay/xml/index.ts';
import { AccountStore } from '../../trust/accounts/index.ts';
import {
  initLoginServer,
  LoginServer,
  loginServerFiles,
  readLoginServerConfig,
} from '../../trust/login-server/index.ts';
import { parse, parseListen, required } from '../args.ts';
import { CliError } from '../cli-error.ts';
import { output, untilSignalled } from '../output.ts';
import { secret } from '../secrets.ts';

export const LS_HELP = `chordline ls: run and administer a login server (the user trust layer)

  chordline ls init  --data DIR --domain DOMAIN [--listen HOST:PORT] [--refresh-rate S]
                     [--validity-days N] [--bootstrap sip:HOST:PORT ...] [--digest SHA-256,MD5]
  chordline ls start --data DIR [--listen HOST:PORT] [--trace]
  chordline ls user add NAME    --data DIR [--password PW]   (or CHORDLINE_PASSWORD, or a prompt)
  chordline ls user remove NAME --data DIR                    (also revokes NAME's certificates)
  chordline ls user list        --data DIR [--json]
  chordline ls revoke SERIAL|FINGERPRINT --data DIR [--reason keyCompromise|...]
  chordline ls status --data DIR [--json]
`;

export async function lsCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'init':
      return init(rest);
    case 'start':
      return start(rest);
    case 'user':
      return user(rest);
    case 'revoke':
      return revoke(rest);
    case 'status':
      return status(rest);
    case undefined:
    case '--help':
    case 'help':
      process.stdout.write(LS_HELP);
      return sub === undefined ? 2 : 0;
    default:
      throw new CliError(`unknown command "ls ${sub}" (try: chordline ls --help)`, true);
  }
}

async function init(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    data: { type: 'string' },
    domain: { type: 'string' },
    listen: { type: 'string' },
    'refresh-rate': { type: 'string' },
    'validity-days': { type: 'string' },
    bootstrap: { type: 'string', multiple: true },
    digest: { type: 'string' },
    json: { type: 'boolean' },
  });
  const dir = required(values.data, '--data');
  const domain = required(values.domain, '--domain');
  if (values.listen) parseListen(values.listen);
  const digestAlgorithms = values.digest?.split(',').map((a) => a.trim().toUpperCase());
  if (digestAlgorithms?.some((a) => a !== 'SHA-256' && a !== 'MD5')) {
    throw new CliError('--digest takes SHA-256 and/or MD5, most preferred first', true);
  }
  const config = await initLoginServer(dir, {
    domain,
    listen: values.listen,
    refreshRate: positive(values['refresh-rate'], '--refresh-rate'),
    certificateValidityDays: positive(values['validity-days'], '--validity-days'),
    bootstrap: values.bootstrap,
    digestAlgorithms: digestAlgorithms as Array<'SHA-256' | 'MD5'> | undefined,
  });
  const out = output(values.json ?? false);
  out.line(`Login server for ${config.domain} created in ${dir}`);
  out.table([
    ['CA certificate', join(dir, 'ca-certificate.pem')],
    ['listens on', config.listen],
    ['refresh rate', `${config.refreshRate} s`],
    ['certificates valid', `${config.certificateValidityDays} days`],
  ]);
  out.line(`Next: chordline ls user add NAME --data ${dir}, then chordline ls start --data ${dir}`);
  out.result(config);
  return 0;
}

async function start(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    data: { type: 'string' },
    listen: { type: 'string' },
    trace: { type: 'boolean' },
  });
  const dir = required(values.data, '--data');
  const server = await LoginServer.open(dir);
  try {
    const listen = values.listen ? parseListen(values.listen) : undefined;
    await server.start({
      host: listen?.host,
      port: listen?.port,
      trace: values.trace ? streamTracer((s) => process.stderr.write(s)) : undefined,
      onError: (error) => process.stderr.write(`chordline ls: ${(error as Error).message}\n`),
    });
  } catch (error) {
    server.stop();
    throw error;
  }
  const stopped = untilSignalled();
  process.stdout.write(
    `Login server for ${server.config.domain} listening on ${server.uri}\n` +
      `  CA fingerprint  ${server.caFingerprint}\n` +
      `  users           ${server.store.listUsers().length}\n` +
      `Ctrl-C stops it.\n`,
  );
  await stopped;
  server.stop();
  return 0;
}

async function user(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = parse(rest, {
    data: { type: 'string' },
    password: { type: 'string' },
    json: { type: 'boolean' },
  });
  const dir = required(values.data, '--data');
  const config = await readLoginServerConfig(dir);
  const store = AccountStore.open(loginServerFiles(dir).database);
  const out = output(values.json ?? false);
  try {
    switch (action) {
      case 'add': {
        const name = required(positionals[0], 'NAME');
        const password = await secret({
          flag: values.password,
          flagName: '--password',
          env: 'CHORDLINE_PASSWORD',
          prompt: `Password for ${name}@${config.domain}: `,
          confirm: true,
        });
        const account = store.addUser(name, config.domain, password);
        out.line(`Added ${account.aor}`);
        out.result(account);
        return 0;
      }
      case 'remove': {
        const name = required(positionals[0], 'NAME');
        const removed = store.removeUser(`sip:${name}@${config.domain}`);
        out.line(`Removed ${removed.aor}; revoked ${removed.revokedSerials.length} certificate(s)`);
        out.result(removed);
        return 0;
      }
      case 'list': {
        const users = store.listUsers();
        if (users.length === 0) out.line('No users yet: chordline ls user add NAME --data ' + dir);
        for (const u of users) {
          const certs = store.certificatesFor(u.aor);
          out.line(
            `${u.aor}  ${certs.length} certificate(s)  since ${new Date(u.createdAt).toISOString().slice(0, 10)}`,
          );
        }
        out.result(users);
        return 0;
      }
      default:
        throw new CliError('usage: chordline ls user add|remove|list ...', true);
    }
  } finally {
    store.close();
  }
}

async function revoke(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    data: { type: 'string' },
    reason: { type: 'string' },
    json: { type: 'boolean' },
  });
  const dir = required(values.data, '--data');
  const which = required(positionals[0], 'SERIAL or FINGERPRINT');
  const reason = (values.reason ?? 'unspecified') as RevocationReason;
  if (!(REVOCATION_REASONS as readonly string[]).includes(reason)) {
    throw new CliError(`--reason must be one of: ${REVOCATION_REASONS.join(', ')}`, true);
  }
  await readLoginServerConfig(dir);
  const store = AccountStore.open(loginServerFiles(dir).database);
  try {
    const revocation = store.revoke(which, reason);
    const out = output(values.json ?? false);
    out.line(
      `Revoked ${revocation.aor}'s certificate ${revocation.serial} (${reason}); revocation list version ${revocation.version}`,
    );
    out.line('Peers apply it at their next refresh of the revocation list.');
    out.result(revocation);
    return 0;
  } finally {
    store.close();
  }
}

async function status(argv: string[]): Promise<number> {
  const { values } = parse(argv, { data: { type: 'string' }, json: { type: 'boolean' } });
  const dir = required(values.data, '--data');
  const config = await readLoginServerConfig(dir);
  const store = AccountStore.open(loginServerFiles(dir).database);
  try {
    const summary = {
      domain: config.domain,
      listen: config.listen,
      users: store.listUsers().length,
      revocationListVersion: store.revocationVersion(),
      revoked: store.revocations().length,
    };
    const out = output(values.json ?? false);
    out.line(`Login server for ${summary.domain} (${dir})`);
    out.table([
      ['listens on', summary.listen],
      ['users', String(summary.users)],
      ['revoked certificates', String(summary.revoked)],
      ['revocation list version', String(summary.revocationListVersion)],
    ]);
    out.result(summary);
    return 0;
  } finally {
    store.close();
  }
}

function positive(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new CliError(`${flag} wants a positive number, not "${value}"`, true);
  return n;
}
