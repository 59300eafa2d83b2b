import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { CliError } from './cli-error.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Strict flag parsing: an unknown or malformed flag is a one-line usage error. */
export function parse<O extends OptionSpec>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError((error as Error).message.split('\n')[0], true);
  }
}

/** "127.0.0.1:5060", "[::1]:5060", ":5060" or "5060" → host and port. */
export function parseListen(text: string, defaultHost = '127.0.0.1'): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*))?:?(\d{1,5})$/.exec(text.trim());
  if (!m || Number(m[3]) > 65535) {
    throw new CliError(
      `--listen wants HOST:PORT (for example 127.0.0.1:5060 or [::1]:5060), not "${text}"`,
      true,
    );
  }
  return { host: m[1] ?? (m[2] || defaultHost), port: Number(m[3]) };
}

export function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new CliError(`${flag} is required`, true);
  return value;
}
