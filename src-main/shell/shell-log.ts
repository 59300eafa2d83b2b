/**
 * The shell's log: one JSON object per line on stderr (visible with `npm start` in a terminal,
 * and in the system log of a packaged app). Never a secret, never a payload.
 */
export function shellLog(event: string, fields: Record<string, string | number | boolean | null> = {}): void {
  process.stderr.write(`${JSON.stringify({ at: new Date().toISOString(), event, ...fields })}\n`);
}
