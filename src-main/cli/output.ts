/** Plain output for people; `--json` output for programs. One place decides which. */
export interface Output {
  json: boolean;
  line(text?: string): void;
  table(rows: Array<[string, string]>): void;
  result(value: unknown): void;
}

export function output(json: boolean, write: (s: string) => void = (s) => process.stdout.write(s)): Output {
  return {
    json,
    line(text = '') {
      if (!json) write(text + '\n');
    },
    table(rows) {
      if (json) return;
      const width = Math.max(...rows.map(([k]) => k.length));
      for (const [k, v] of rows) write(`  ${k.padEnd(width)}  ${v}\n`);
    },
    result(value) {
      if (json) write(JSON.stringify(value) + '\n');
    },
  };
}

/** Resolves when the process is asked to stop (Ctrl-C or a service manager's SIGTERM). */
export function untilSignalled(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
