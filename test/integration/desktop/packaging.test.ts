import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
import { join } from 'node:path';
import { Arch, build, Platform, type Configuration } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import config from '../../../electron-builder.config.ts';
import { tempDirs } from '../../helpers/temp-dir.ts';
import { buildDesktop, REPO } from './build-tools.ts';

// electron-builder's own validation: the function and JSON schema its CLI runs on every build
// (app-builder-lib is electron-builder's engine; resolved from electron-builder's own folder).
const fromBuilder = createRequire(join(REPO, 'node_modules/electron-builder/package.json'));
const { validateConfiguration } = fromBuilder('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: Configuration, debug: unknown): Promise<void>;
};
const { DebugLogger } = fromBuilder('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const asar = fromBuilder('@electron/asar') as {
  listPackage(file: string, options: { isPack: boolean }): string[];
};

describe('the electron-builder configuration', () => {
  it("passes electron-builder's own validation", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('is refused by the same validation when an option is misspelt (the check is live)', async () => {
    const wrong = { ...config, linux: { ...config.linux, categroy: 'Network' } } as Configuration;
    await expect(validateConfiguration(wrong, new DebugLogger(false))).rejects.toThrow(
      /configuration\.linux/,
    );
  });

  it('asks macOS for the microphone, with a reason a person reads', async () => {
    expect(config.mac?.hardenedRuntime).toBe(true);
    expect(config.mac?.extendInfo).toMatchObject({
      NSMicrophoneUsageDescription: expect.stringMatching(/microphone/),
    });
    const entitlements = await readFile(join(REPO, config.mac!.entitlements as string), 'utf8');
    expect(entitlements).toMatch(/<key>com\.apple\.security\.device\.audio-input<\/key>\s*<true\/>/);
  });

  it('has real icons for every platform', async () => {
    const png = await readFile(join(REPO, 'build/icon.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024]);
    const ico = await readFile(join(REPO, config.win!.icon as string));
    expect(ico.readUInt16LE(2)).toBe(1);
    const sizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico[6 + 16 * i] || 256);
    expect(sizes).toContain(256);
    const icns = await readFile(join(REPO, config.mac!.icon as string));
    expect(icns.subarray(0, 4).toString()).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      expect(existsSync(join(REPO, config.linux!.icon as string, `${size}x${size}.png`)), `${size}`).toBe(
        true,
      );
    }
  });
});

/**
 * A Linux app folder (`--dir`) packed from a fresh build, with a stand-in for the Electron
 * binary (electronDist), since Electron cannot be downloaded here. Native modules are not
 * rebuilt for Electron and the fuses are not flipped: both need the real binary.
 */
describe('the packaged app (linux --dir, stand-in Electron)', () => {
  const dirs = tempDirs();
  let stage: string;
  let appDir: string;
  let files: string[];

  beforeAll(async () => {
    stage = dirs.make('chordline-pack-');
    await buildDesktop(join(stage, 'out'));
    // A project folder like the repository, without disturbing its out/.
    await cp(join(REPO, 'package.json'), join(stage, 'package.json'));
    await cp(join(REPO, 'resources'), join(stage, 'resources'), { recursive: true });
    await cp(join(REPO, 'build'), join(stage, 'build'), { recursive: true });
    await symlink(join(REPO, 'node_modules'), join(stage, 'node_modules'), 'dir');
    const electronDist = join(stage, 'stand-in-electron');
    await mkdir(join(electronDist, 'resources'), { recursive: true });
    await writeFile(join(electronDist, 'electron'), '#!/bin/sh\necho "a stand-in for Electron"\n');
    await chmod(join(electronDist, 'electron'), 0o755);

    await build({
      projectDir: stage,
      targets: Platform.LINUX.createTarget('dir', Arch.x64),
      config: {
        ...config,
        electronDist,
        npmRebuild: false,
        electronFuses: null,
        directories: { ...config.directories, output: join(stage, 'release') },
      },
      publish: 'never',
    });
    appDir = join(stage, 'release', 'linux-unpacked');
    files = asar.listPackage(join(appDir, 'resources', 'app.asar'), { isPack: false });
  }, 300_000);
  afterAll(() => dirs.cleanup());

  it('holds the build, the resources and package.json, under the executable "chordline"', async () => {
    for (const file of [
      '/package.json',
      '/out/main/index.js',
      '/out/preload/index.cjs',
      '/out/preload/passphrase.cjs',
      '/out/renderer/index.html',
      '/resources/icon.png',
      '/resources/tray/ready.png',
      '/resources/tray/offline.png',
      '/resources/tray/in-call.png',
      '/resources/prompt/passphrase.html',
    ]) {
      expect(files, file).toContain(file);
    }
    expect(existsSync(join(appDir, 'chordline'))).toBe(true);
    const pkg = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { main: string };
    expect(files).toContain(`/${pkg.main.replace(/^\.\//, '')}`);
  });

  it('leaves out sources, tests, docs, build inputs and source maps', () => {
    const ours = files.filter((f) => !f.startsWith('/node_modules/'));
    for (const folder of [
      '/src-main',
      '/src-renderer',
      '/test',
      '/docs',
      '/bench',
      '/build',
      '/patches',
      '/bin',
    ]) {
      expect(
        ours.filter((f) => f === folder || f.startsWith(`${folder}/`)),
        folder,
      ).toEqual([]);
    }
    expect(ours.filter((f) => /\.(ts|map|svelte)$/.test(f) || f.endsWith('README.md'))).toEqual([]);
  });

  it('carries every package the main process imports, and the SQLite addon outside the archive', async () => {
    const code = await readFile(join(stage, 'out/main/index.js'), 'utf8');
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const imported = [...code.matchAll(/^import\s[^'"]*["']([^'"]+)["']/gm)]
      .map((m) => m[1])
      .filter((m) => !builtins.has(m) && m !== 'electron' && !m.startsWith('electron/'))
      .map((m) => (m.startsWith('@') ? m.split('/').slice(0, 2).join('/') : m.split('/')[0]));
    expect(imported).toContain('better-sqlite3');
    for (const name of new Set(imported)) {
      expect(files, name).toContain(`/node_modules/${name}/package.json`);
    }
    expect(
      existsSync(
        join(
          appDir,
          'resources/app.asar.unpacked/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
        ),
      ),
    ).toBe(true);
    // The command line's TypeScript loader stays out (with esbuild's native binary).
    expect(files.filter((f) => /^\/node_modules\/(tsx|esbuild|@esbuild)\//.test(f))).toEqual([]);
  });
});
