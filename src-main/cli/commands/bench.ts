import { BENCHMARKS, runSuite } from '../../../bench/suite.ts';
import type { BenchmarkName } from '../../../bench/suite.ts';
import { formatTable, summaryRows } from '../../../bench/summary-table.ts';
import { interruptAll } from '../../../bench/worker-host.ts';
import { parse } from '../args.ts';
import { CliError } from '../cli-error.ts';
import { output } from '../output.ts';

export const BENCH_HELP = `chordline bench: measure this machine (results and method: docs/BENCHMARKS.md)

  chordline bench [register|options|login|memory|ring|identity|voice ...] [--runs N] [--quick] [--json]
                  [--cpu-prof DIR] [--seed S]

  register  signed peer-to-peer REGISTERs one node answers per second on one core
  options   unsigned OPTIONS per second from sipp: the SIP stack alone (needs sipp)
  login     full digest logins per second at the login server
  memory    idle memory of a headless peer (\`chordline peer\`)
  ring      the Chord ring of 200 real peers: lookup hops and latency, messages per join, idle
            traffic per peer, heal time and lost registrations after half the peers are killed
  identity  the identity layer's two algorithms, chord and onehop, side by side on the same real
            peers at 20, 100 and 200: lookup hops and latency, idle traffic per peer, messages
            and bytes per join, onehop's MemberList size, and how long a switch takes each way
  voice     two phones in browser mode, each in Debian's Chromium (/usr/bin/chromium) with a
            fake microphone: dial to first audio packet, ICE gathering, mouth-to-ear, CPU per
            call (in a loopback-only network namespace when run as root)

  With no name, all seven. Each runs --runs times (default 3; 1 with --quick) in fresh processes
  on 127.0.0.1, and the summary gives the median and the spread. --quick runs shorter steps (a
  ring of 100, identity at 20 and 50). --cpu-prof writes V8 CPU profiles of the node under test
  and the login server into DIR. --seed fixes the rings' join order and keys. A full run takes
  about 2 hours (identity about 30 minutes per run, the ring about 6, voice about 2), more while
  it waits for a busy machine to calm down.
`;

export async function benchCommand(argv: string[]): Promise<number> {
  if (argv[0] === '--help' || argv[0] === 'help') {
    process.stdout.write(BENCH_HELP);
    return 0;
  }
  const { values, positionals } = parse(argv, {
    runs: { type: 'string' },
    quick: { type: 'boolean' },
    json: { type: 'boolean' },
    'cpu-prof': { type: 'string' },
    seed: { type: 'string' },
  });
  const unknown = positionals.filter((p) => !(BENCHMARKS as readonly string[]).includes(p));
  if (unknown.length > 0) {
    throw new CliError(`unknown benchmark "${unknown[0]}" (choose from: ${BENCHMARKS.join(', ')})`, true);
  }
  const quick = values.quick ?? false;
  const runs = values.runs === undefined ? (quick ? 1 : 3) : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 20)
    throw new CliError('--runs wants a whole number from 1 to 20', true);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32))
    throw new CliError('--seed wants a whole number from 0 to 4294967295', true);
  const out = output(values.json ?? false);
  const log = (line: string) => (out.json ? process.stderr.write(line + '\n') : out.line(line));

  // Ctrl-C or SIGTERM: stop the benchmark's processes (they clean up their folders), unwind, leave.
  const interrupted = () => {
    process.stderr.write('chordline bench: interrupted, stopping the benchmark processes\n');
    process.exitCode = 130;
    void interruptAll();
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const result = await runSuite({
      benchmarks: positionals.length > 0 ? (positionals as BenchmarkName[]) : [...BENCHMARKS],
      runs,
      quick,
      cpuProfileDir: values['cpu-prof'],
      seed,
      log,
    });
    const m = result.machine;
    out.line();
    out.line(
      `Machine: ${m.cpus} CPUs (${m.model}), ${m.memory}, node ${m.node}, load average at start ${m.loadAverage}`,
    );
    if (result.register.length + result.options.length + result.login.length > 0)
      out.line(
        result.pinned
          ? 'The measured process was pinned to CPU 0, its load generator to CPU 1 (taskset).'
          : 'Processes were not pinned to CPUs (needs Linux, taskset and two CPUs): expect more noise.',
      );
    if (result.ring.length + result.identity.length > 0)
      out.line(
        'The rings run in their own processes (peer hosts, login server), not pinned: they share every CPU.',
      );
    if (result.optionsSkipped) out.line(`OPTIONS baseline skipped: ${result.optionsSkipped}`);
    if (result.voiceSkipped) out.line(`voice skipped: ${result.voiceSkipped}`);
    for (const run of result.voice.filter((r) => !r.isolated).slice(0, 1))
      out.line(`voice ran on the host's loopback, not in a network namespace: ${run.why}`);
    out.line();
    out.line(formatTable(summaryRows(result)));
    out.result({ summary: summaryRows(result), ...result });
    return process.exitCode === 130 ? 130 : 0;
  } catch (error) {
    if (process.exitCode === 130) return 130;
    throw error;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
}
