import { readFile, writeFile } from 'node:fs/promises';
import { describeCertificate, fingerprintOf, KeyStore } from '../../keystore/index.ts';
import { parse, required } from '../args.ts';
import { CliError } from '../cli-error.ts';
import { output } from '../output.ts';
import { secret } from '../secrets.ts';

export const CERT_HELP = `chordline cert: this computer's identity (key store)

  chordline cert show   --data DIR [--passphrase PP] [--json]
  chordline cert export --data DIR --out FILE [--format p12|pem] [--password PW] [--with-key]
                        (p12: password protected, for another computer or a mail client;
                         pem: certificate and CA, plus the key encrypted with --password if --with-key)
  chordline cert import --data DIR --in FILE.p12 [--password PW] [--passphrase PP]
                        (moves an identity exported on another computer into an empty DIR)

  The key store passphrase comes from --passphrase, CHORDLINE_PASSPHRASE or a prompt;
  the export/import password from --password, CHORDLINE_EXPORT_PASSWORD or a prompt.
`;

export async function certCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'show':
      return show(rest);
    case 'export':
      return exportIdentity(rest);
    case 'import':
      return importIdentity(rest);
    case undefined:
    case '--help':
    case 'help':
      process.stdout.write(CERT_HELP);
      return sub === undefined ? 2 : 0;
    default:
      throw new CliError(`unknown command "cert ${sub}" (try: chordline cert --help)`, true);
  }
}

const passphraseOf = (flag: string | undefined) =>
  secret({ flag, flagName: '--passphrase', env: 'CHORDLINE_PASSPHRASE', prompt: 'Key store passphrase: ' });

async function open(dir: string, passphrase: string | undefined): Promise<KeyStore> {
  const store = await KeyStore.open(dir, await passphraseOf(passphrase));
  if (!store.hasIdentity() || !store.identity().certPem) {
    throw new CliError(
      `${dir} holds no certificate yet: run "chordline peer --data ${dir} --ls ... --user ..." to log in`,
    );
  }
  return store;
}

async function show(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    data: { type: 'string' },
    passphrase: { type: 'string' },
    json: { type: 'boolean' },
  });
  const store = await open(required(values.data, '--data'), values.passphrase);
  const identity = store.identity();
  const c = describeCertificate(identity.certPem!);
  const info = {
    aor: c.aor,
    nodeId: c.nodeId,
    subject: c.subject,
    issuer: c.issuer,
    serial: c.serial,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    fingerprint: c.fingerprint,
    caFingerprint: identity.caCertPem ? fingerprintOf(identity.caCertPem) : undefined,
    expired: c.notAfter.getTime() < Date.now(),
  };
  const out = output(values.json ?? false);
  out.line(`${info.aor}${info.expired ? '  (EXPIRED: log in again)' : ''}`);
  out.table([
    ['NodeID', info.nodeId],
    ['issuer', info.issuer],
    ['serial', info.serial],
    ['valid', `${info.notBefore} to ${info.notAfter}`],
    ['fingerprint', info.fingerprint],
    ['CA fingerprint', info.caFingerprint ?? '-'],
  ]);
  out.result(info);
  return 0;
}

async function exportIdentity(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    data: { type: 'string' },
    out: { type: 'string' },
    format: { type: 'string' },
    password: { type: 'string' },
    passphrase: { type: 'string' },
    'with-key': { type: 'boolean' },
  });
  const dir = required(values.data, '--data');
  const file = required(values.out, '--out');
  const format = values.format ?? (file.endsWith('.pem') ? 'pem' : 'p12');
  if (format !== 'p12' && format !== 'pem') throw new CliError('--format is p12 or pem', true);
  const store = await open(dir, values.passphrase);
  const needsPassword = format === 'p12' || values['with-key'];
  const password = needsPassword
    ? await secret({
        flag: values.password,
        flagName: '--password',
        env: 'CHORDLINE_EXPORT_PASSWORD',
        prompt: 'Password for the exported file: ',
        confirm: true,
      })
    : undefined;
  const data =
    format === 'p12'
      ? store.exportPkcs12(password!)
      : store.exportPem(values['with-key'] ? { keyPassword: password } : {});
  await writeFile(file, data, { mode: 0o600 });
  process.stdout.write(
    `Exported ${store.identity().aor ?? 'the identity'} to ${file} (${format === 'p12' ? 'PKCS#12' : 'PEM'})\n`,
  );
  return 0;
}

async function importIdentity(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    data: { type: 'string' },
    in: { type: 'string' },
    password: { type: 'string' },
    passphrase: { type: 'string' },
  });
  const dir = required(values.data, '--data');
  const file = required(values.in, '--in');
  let p12: Buffer;
  try {
    p12 = await readFile(file);
  } catch {
    throw new CliError(`cannot read ${file}`);
  }
  const password = await secret({
    flag: values.password,
    flagName: '--password',
    env: 'CHORDLINE_EXPORT_PASSWORD',
    prompt: `Password of ${file}: `,
  });
  const passphrase = await passphraseOf(values.passphrase);
  const store = await KeyStore.importPkcs12(dir, p12, password, passphrase);
  const identity = store.identity();
  process.stdout.write(`Imported ${identity.aor} (NodeID ${identity.nodeId}) into ${dir}\n`);
  return 0;
}
