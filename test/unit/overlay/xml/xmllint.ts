// Test helper (not a test): validates a body against docs/p2p.xsd with the real xmllint, so that
// any test, including ones over bodies captured from real runs, can ask "is this on the wire legal?".
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const SCHEMA_PATH = fileURLToPath(new URL('../../../../docs/p2p.xsd', import.meta.url));

/** `xmllint --noout --nonet --schema docs/p2p.xsd -` over `xml`; `output` is what xmllint said. */
export function validateWithXmllint(xml: string): { ok: boolean; output: string } {
  try {
    const output = execFileSync('xmllint', ['--noout', '--nonet', '--schema', SCHEMA_PATH, '-'], {
      input: xml,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // xmllint reports "- validates" on stderr, which execFileSync does not return on success.
    return { ok: true, output };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` || failed.message };
  }
}
