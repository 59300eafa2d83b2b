import { createInterface } from 'node:readline';
import { CliError } from './cli-error.ts';

/**
 * A password or passphrase: the flag if given, else the environment variable, else a prompt
 * that does not echo (only on a terminal). Never a default: a secret nobody chose is no secret.
 */
export async function secret(options: {
  flag: string | undefined;
  flagName: string;
  env: string;
  prompt: string;
  confirm?: boolean;
}): Promise<string> {
  if (options.flag !== undefined && options.flag !== '') return options.flag;
  const fromEnv = process.env[options.env];
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) {
    throw new CliError(`give ${options.flagName} or set ${options.env} (no terminal to ask on)`, true);
  }
  const value = await ask(options.prompt);
  if (options.confirm && (await ask('Again: ')) !== value) throw new CliError('the two entries differ');
  if (!value) throw new CliError('an empty secret is not allowed');
  return value;
}

function ask(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput;
    let prompted = false;
    // Echo the prompt, then nothing of what is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (!prompted) {
        prompted = true;
        write.call(rl, s);
      }
    };
    rl.question(prompt, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}
