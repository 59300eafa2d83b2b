/**
 * How many signed REGISTERs one core verifies per second with a warm certificate cache (the
 * REGISTER load goal is ≥1000/s, aiming for 3000). A measurement, not a test: timings depend on
 * the machine, so nothing here asserts.
 *
 *   npx tsx test/unit/trust/signing/measure-verify-throughput.ts
 */
import {
  CertificateValidator,
  MessageSigner,
  MessageVerifier,
  ReplayGuard,
  RevocationSet,
  type VerifyInput,
} from '../../../../src-main/trust/signing/index.ts';
import { FakeClock, createNetwork, enrol, signedRegister } from './fixtures.ts';

const MEMBERS = 20;
const MESSAGES = 4000;

const clock = new FakeClock();
const network = await createNetwork('example.com');
const members = await Promise.all(Array.from({ length: MEMBERS }, (_, i) => enrol(network, `user${i}`)));
const signers = members.map((member) => new MessageSigner({ identity: member.identity, clock }));

const started = performance.now();
const byRef: VerifyInput[] = [];
const withCertificate: VerifyInput[] = [];
for (let i = 0; i < MESSAGES; i++) {
  const m = i % MEMBERS;
  const message = signedRegister(members[m], signers[m], clock, { peerKey: 'registrar' });
  (message.credential?.kind === 'certificate' ? withCertificate : byRef).push(message);
}
const signMs = performance.now() - started;
for (let i = 0; i < MESSAGES / 2; i++) {
  const m = i % MEMBERS;
  signers[m].peerLostCertificate('registrar');
  withCertificate.push(signedRegister(members[m], signers[m], clock, { peerKey: 'registrar' }));
}

function registrar() {
  const revocations = new RevocationSet({ caCertPem: network.ca.certPem, clock });
  const validator = new CertificateValidator({ caCertPem: network.ca.certPem, revocations, clock });
  return new MessageVerifier({ validator, replayGuard: new ReplayGuard({ clock }) });
}

function measure(label: string, verifier: MessageVerifier, messages: VerifyInput[]): void {
  const begin = performance.now();
  let ok = 0;
  for (const message of messages) if (verifier.verify(message).ok) ok++;
  const ms = performance.now() - begin;
  if (ok !== messages.length) throw new Error(`${label}: only ${ok} of ${messages.length} verified`);
  console.log(
    `${label.padEnd(52)} ${String(Math.round((messages.length / ms) * 1000)).padStart(6)} /s  (${((ms / messages.length) * 1000).toFixed(0)} µs each)`,
  );
}

console.log(`signing: ${Math.round((MESSAGES / signMs) * 1000)} signatures/s`);
const verifier = registrar();
measure('cold: first message of each member (cert parsed)', verifier, withCertificate.slice(0, MEMBERS));
measure('warm, <CertificateRef>', verifier, byRef);
measure('warm, whole <Certificate> each time (cache hit)', verifier, withCertificate.slice(MEMBERS));
