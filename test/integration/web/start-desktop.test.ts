import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { launchDesktop } from '../../../src-main/cli/commands/start-desktop.ts';
import { tempDirs } from '../../helpers/temp-dir.ts';

/**
 * `chordline start` tries the desktop window first and says in one line why it cannot. Electron
 * is never downloadable on these machines, so a shell script stands in for its binary
 * (ELECTRON_OVERRIDE_DIST_PATH, the override the electron package itself honours).
 */
describe('chordline start: the desktop window, or why not', () => {
  const dirs = tempDirs();
  afterAll(() => dirs.cleanup());

  /** A folder with an executable "electron" running `script`, and a built main to give it. */
  function fakeElectron(script: string) {
    const dir = dirs.make('chordline-fake-electron-');
    writeFileSync(join(dir, 'electron'), `#!/bin/sh\n${script}\n`);
    chmodSync(join(dir, 'electron'), 0o755);
    const main = join(dir, 'index.js');
    writeFileSync(main, '');
    return { dir, main };
  }

  it('no Electron binary: says it is not installed', async () => {
    const launch = await launchDesktop({ dataDir: '/tmp/x', env: { DISPLAY: ':0' }, main: '/nonexistent' });
    expect(launch).toEqual({
      started: false,
      why: 'Electron is not installed here (its binary was never downloaded)',
    });
  });

  it('no display: says so, without trying', async () => {
    const { dir, main } = fakeElectron('exit 0');
    const launch = await launchDesktop({
      dataDir: '/tmp/x',
      env: { ELECTRON_OVERRIDE_DIST_PATH: dir },
      main,
    });
    expect(launch).toEqual({
      started: false,
      why: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)',
    });
  });

  it('an Electron that dies at once: its last words become the reason', async () => {
    const { dir, main } = fakeElectron('echo "Missing X server or $DISPLAY" >&2; exit 1');
    const launch = await launchDesktop({
      dataDir: '/tmp/x',
      env: { ELECTRON_OVERRIDE_DIST_PATH: dir, DISPLAY: ':99' },
      main,
    });
    expect(launch).toEqual({
      started: false,
      why: 'Electron stopped at once (exit 1: Missing X server or :99)',
    });
  });

  it('an Electron that starts: it gets the built main and the data folder, and its exit status is ours', async () => {
    const { dir, main } = fakeElectron(`echo "$@" > "${'$(dirname "$0")'}/args"; sleep 0.5; exit 0`);
    const launch = await launchDesktop({
      dataDir: '/tmp/phone data',
      env: { ELECTRON_OVERRIDE_DIST_PATH: dir, DISPLAY: ':99', ELECTRON_RUN_AS_NODE: '1' },
      main,
      earlyExitMs: 100,
    });
    expect(launch.started).toBe(true);
    if (launch.started) expect(await launch.exited).toBe(0);
    expect(readFileSync(join(dir, 'args'), 'utf8').trim()).toBe(`${main} --data /tmp/phone data`);
  });
});
