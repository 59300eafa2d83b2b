import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { startPhone } from '../phone-process.ts';
import type { PhoneProcess } from '../phone-process.ts';
import { PhoneScreen } from '../phone-screen.ts';
import { loopbackNamespace } from './network-namespace.ts';
import type { NetworkNamespace } from './network-namespace.ts';
import { writeToneWav } from './tone-wav.ts';
import { PAGE_PROBE } from './voice-probe.ts';

/** Debian's Chromium (package `chromium`; .ci/run installs it). */
export const CHROMIUM = '/usr/bin/chromium';

/** One person of a voice story: their phone process, their own Chromium (its fake microphone plays their tone), their tab. */
export interface Person {
  readonly who: string;
  /** The WAV file their fake microphone plays. */
  readonly wav: string;
  /** The tone their microphone plays. */
  readonly hz: number;
  readonly dataDir: string;
  readonly phone: PhoneProcess;
  readonly browser: Browser;
  readonly screen: PhoneScreen;
}

export interface VoiceStage {
  readonly ns: NetworkNamespace;
  readonly people: Person[];
  /** The PID of a person's Chromium browser process (found by its fake microphone's file). */
  browserPid(person: Person): number | undefined;
  /** Tabs, browsers, phones (Ctrl-C), the namespace; the phones' exit codes. Safe twice. */
  close(): Promise<Array<number | null>>;
}

/**
 * Chromium's flags for a phone with a fake microphone. Without --allow-loopback-in-peer-connection
 * Chromium never offers a 127.0.0.1 candidate, and in a loopback-only namespace there is no other.
 */
export function chromiumArgs(wav: string): string[] {
  return [
    '--allow-loopback-in-peer-connection',
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${wav}`,
    // The remote audio element and the test's AudioContext play without a click on the page.
    '--autoplay-policy=no-user-gesture-required',
  ];
}

/**
 * Everything a voice story needs, in one loopback-only network namespace (network-namespace.ts):
 * for each person a tone WAV in `dir`, a phone in browser mode (`chordline start --web`) on a
 * new data folder, and a Chromium of their own (one fake microphone file per browser) with the
 * page probe (page-probe.js) in their tab. On a failure half-way, what was started is stopped.
 */
export async function startVoiceStage(options: {
  dir: string;
  uiDir: string;
  people: Array<{ who: string; hz: number; dataDir: string }>;
}): Promise<VoiceStage> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install Debian's package "chromium" (.ci/run does)`);
  }
  const ns = await loopbackNamespace();
  const people: Person[] = [];
  const phones: PhoneProcess[] = [];
  const browsers: Browser[] = [];
  let closing: Promise<Array<number | null>> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await Promise.allSettled(people.map((p) => p.screen.close()));
      await Promise.allSettled(browsers.map((b) => b.close()));
      const codes = await Promise.all(phones.map((p) => p.stop()));
      ns.close();
      return codes;
    })());
  try {
    const chromiumInNs = ns.launcher(options.dir, 'chromium-in-namespace', CHROMIUM);
    for (const { who, hz, dataDir } of options.people) {
      const wav = writeToneWav(join(options.dir, `${who}-${hz}hz.wav`), { hz });
      const [phone, browser] = await Promise.all([
        startPhone({ dataDir, uiDir: options.uiDir, wrap: ns.wrap }),
        chromium.launch({ executablePath: chromiumInNs, headless: true, args: chromiumArgs(wav) }),
      ]);
      phones.push(phone);
      browsers.push(browser);
      const screen = await PhoneScreen.open(browser, who, phone.url, {
        initScripts: [PAGE_PROBE],
        permissions: ['microphone'],
      });
      people.push({ who, hz, wav, dataDir, phone, browser, screen });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return {
    ns,
    people,
    browserPid: (person) => findProcess(`--use-file-for-fake-audio-capture=${person.wav}`),
    close,
  };
}

/**
 * The process whose command line has `argument` (Playwright's client does not say which PID it
 * launched): the oldest one, since Chromium passes some flags on to the processes it starts.
 */
export function findProcess(argument: string): number | undefined {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.includes(argument) && !args.some((a) => a.startsWith('--type='))) found.push(Number(entry));
    } catch {
      // Gone since the listing.
    }
  }
  return found.sort((a, b) => a - b)[0];
}
