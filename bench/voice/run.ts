import { join } from 'node:path';
import { ensureRendererBuilt } from '../../src-main/web/renderer-build.ts';
import { probe } from '../../test/e2e/voice/voice-probe.ts';
import { startVoiceStage } from '../../test/e2e/voice/voice-stage.ts';
import type { Person, VoiceStage } from '../../test/e2e/voice/voice-stage.ts';
import { addAccount, addContact, createNetwork, joinNetwork } from '../../test/e2e/voice/voice-story.ts';
import { quantile } from '../summary.ts';
import { tempFolders } from '../temp-folders.ts';
import { isInterrupted } from '../worker-host.ts';
import { callAndTime, hangUp } from './call-timing.ts';
import type { CallTiming } from './call-timing.ts';
import { mouthToEar } from './mouth-to-ear.ts';
import type { MouthToEar } from './mouth-to-ear.ts';
import { cpuSpent, treeCpu } from './process-tree-cpu.ts';

export interface VoiceBenchOptions {
  /** Calls timed (after one warm-up call that is not counted). */
  calls: number;
  /** Length of the idle window and of the call window for CPU. */
  cpuSeconds: number;
  beeps: number;
  log: (line: string) => void;
}

export interface Percentiles {
  p50: number;
  p95: number;
}

/** CPU as a share of one core (1 = one core busy), both ends together. */
export interface VoiceCpu {
  seconds: number;
  idle: { chromium: number; phones: number };
  inCall: { chromium: number; phones: number };
}

export interface VoiceRun {
  /** Whether every process ran in a loopback-only network namespace; if not, why. */
  isolated: boolean;
  why?: string;
  calls: number;
  failed: string[];
  samples: CallTiming[];
  callerFirstAudio: Percentiles;
  calleeFirstAudio: Percentiles;
  /** What the INVITE waited for ICE (the phone's gathering rule). */
  iceGather: Percentiles;
  /** Chromium's own gathering to "complete", for comparison. */
  chromiumGather: Percentiles;
  clickToDial: Percentiles;
  dialToAnswer: Percentiles;
  mouthToEar?: MouthToEar;
  mouthToEarFailed?: string;
  cpu?: VoiceCpu;
}

const ALICE_HZ = 440;
const BOB_HZ = 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentiles = (values: number[]): Percentiles => ({
  p50: quantile(values, 0.5),
  p95: quantile(values, 0.95),
});

/**
 * Voice on loopback, the way the e2e test sets it up (test/e2e/voice): two phones in browser
 * mode, each in its own Debian Chromium with a fake microphone, every process in one
 * loopback-only network namespace when the bench runs as root. Alice creates the network, Bob
 * joins; Bob's page accepts every call the moment it rings. Then: `calls` calls timed (dial
 * to first audio packet each way, ICE gathering), one call with beeps for mouth-to-ear, and the
 * CPU of the Chromiums and the phones idle and during a call.
 */
export async function voiceBench(options: VoiceBenchOptions): Promise<VoiceRun> {
  const { log } = options;
  const folders = tempFolders();
  let stage: VoiceStage | undefined;
  try {
    const { dir: uiDir } = await ensureRendererBuilt({ out: join(folders.make('voice-ui'), 'renderer') });
    stage = await startVoiceStage({
      dir: folders.make('voice'),
      uiDir,
      people: [
        { who: 'alice', hz: ALICE_HZ, dataDir: folders.make('voice-alice') },
        { who: 'bob', hz: BOB_HZ, dataDir: folders.make('voice-bob') },
      ],
    });
    if (!stage.ns.isolated) log(`  not in a network namespace (${stage.ns.why}): on the host's 127.0.0.1`);
    const [alice, bob] = stage.people;
    await alice.screen.page.getByRole('heading', { name: 'Welcome to Chordline' }).waitFor();
    await createNetwork(alice.screen, { domain: 'bench.example', user: 'alice', password: 'alice pw' });
    const loginServer = await addAccount(alice.screen, 'bob', 'bob pw');
    await joinNetwork(bob.screen, { loginServer, user: 'bob', password: 'bob pw' });
    await addContact(alice.screen, 'Bob', 'bob');
    await probe.setAutoAnswer(bob.screen.page, true);

    // The first call pays for what happens once (getUserMedia's device, codecs loaded).
    await callAndTime(alice, bob);
    await hangUp(alice, bob);
    const samples: CallTiming[] = [];
    const failed: string[] = [];
    for (let i = 0; i < options.calls && !isInterrupted(); i++) {
      try {
        samples.push(await callAndTime(alice, bob));
      } catch (error) {
        failed.push((error as Error).message.split('\n')[0]);
      }
      await hangUp(alice, bob);
    }
    const column = (key: keyof CallTiming) => percentiles(samples.map((s) => s[key]));
    const run: VoiceRun = {
      isolated: stage.ns.isolated,
      why: stage.ns.why,
      calls: options.calls,
      failed,
      samples,
      callerFirstAudio: column('callerFirstAudioMs'),
      calleeFirstAudio: column('calleeFirstAudioMs'),
      iceGather: column('iceGatherMs'),
      chromiumGather: column('chromiumGatherMs'),
      clickToDial: column('clickToDialMs'),
      dialToAnswer: column('dialToAnswerMs'),
    };
    log(
      `  ${samples.length}/${options.calls} calls: dial to first audio at the caller p50 ${run.callerFirstAudio.p50.toFixed(1)} ms, ` +
        `p95 ${run.callerFirstAudio.p95.toFixed(1)} ms; ICE wait before the INVITE p50 ${run.iceGather.p50.toFixed(1)} ms ` +
        `(Chromium "complete" ${run.chromiumGather.p50.toFixed(1)} ms)`,
    );
    if (isInterrupted()) return run;

    run.cpu = await measureCpu(stage, alice, bob, options.cpuSeconds);
    log(
      `  CPU during a call (both ends): Chromiums ${(run.cpu.inCall.chromium * 100).toFixed(1)} % of a core ` +
        `(idle ${(run.cpu.idle.chromium * 100).toFixed(1)} %), phones ${(run.cpu.inCall.phones * 100).toFixed(1)} % ` +
        `(idle ${(run.cpu.idle.phones * 100).toFixed(1)} %)`,
    );
    if (isInterrupted()) return run;

    // Last: the beeps leave Web Audio graphs running in both pages, which would count as the call's CPU.
    try {
      await callAndTime(alice, bob);
      run.mouthToEar = await mouthToEar(alice, bob, options.beeps);
      log(
        `  mouth-to-ear p50 ${run.mouthToEar.p50Ms.toFixed(1)} ms (${run.mouthToEar.heard}/${options.beeps} beeps), ` +
          `Bob's jitter buffer ${run.mouthToEar.jitterBufferMs.toFixed(1)} ms, ${run.mouthToEar.packetsPerSecond.toFixed(0)} packets/s`,
      );
    } catch (error) {
      run.mouthToEarFailed = (error as Error).message.split('\n')[0];
    } finally {
      await hangUp(alice, bob);
    }
    return run;
  } finally {
    await stage?.close();
    folders.removeAll();
  }
}

/** CPU of both Chromiums (every process under each) and both phone processes: idle, then in a call. */
async function measureCpu(stage: VoiceStage, alice: Person, bob: Person, seconds: number): Promise<VoiceCpu> {
  const chromiums = [alice, bob].map((p) => stage.browserPid(p));
  if (chromiums.some((pid) => pid === undefined))
    throw new Error('a Chromium process was not found in /proc');
  const phones = [alice.phone.pid, bob.phone.pid];
  const window = async () => {
    const before = { chromium: treeCpu(chromiums as number[]), phones: treeCpu(phones) };
    await sleep(seconds * 1000);
    const after = { chromium: treeCpu(chromiums as number[]), phones: treeCpu(phones) };
    return {
      chromium: cpuSpent(before.chromium, after.chromium) / seconds,
      phones: cpuSpent(before.phones, after.phones) / seconds,
    };
  };
  const idle = await window();
  await callAndTime(alice, bob);
  try {
    return { seconds, idle, inCall: await window() };
  } finally {
    await hangUp(alice, bob);
  }
}
