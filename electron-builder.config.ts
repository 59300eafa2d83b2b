import type { Configuration } from 'electron-builder';

/**
 * Packaging: `npm run dist` (electron-vite build, then electron-builder with this file) makes
 * the installers for the machine it runs on: an NSIS installer on Windows, a dmg on macOS, an
 * AppImage and a deb on Linux. test/integration/desktop/packaging.test.ts validates this file
 * with electron-builder's own schema and packs a Linux app folder with a stand-in Electron.
 *
 * The app is out/ (what electron-vite built) and resources/ (icons, the passphrase page), with
 * the production dependencies electron-builder adds from node_modules; never the sources, the
 * tests or the docs.
 */
const config: Configuration = {
  appId: 'org.chordline.phone',
  productName: 'Chordline',
  copyright: 'Copyright © Chordline contributors',
  directories: { output: 'release/${version}', buildResources: 'build' },
  files: [
    'out/**/*',
    '!out/**/*.map',
    'resources/**/*',
    '!resources/**/README.md',
    // The command line's TypeScript loader (a dependency for `npx chordline`): the app never
    // loads it, and it would bring esbuild's native binary along.
    '!node_modules/tsx/**',
    '!node_modules/esbuild/**',
    '!node_modules/@esbuild/**',
    // better-sqlite3 as compiled: keep the addon, not its C sources and object files (about 20 MB).
    '!node_modules/better-sqlite3/{deps,src}/**',
    '!node_modules/better-sqlite3/build/{deps,Release/obj,Release/obj.target,Release/.deps}/**',
    '!node_modules/better-sqlite3/build/Release/test_extension.node',
  ],
  // Native code cannot be loaded from inside an asar archive.
  asarUnpack: ['node_modules/better-sqlite3/**', '**/*.node'],
  // better-sqlite3 is rebuilt against Electron's Node ABI while packaging (npmRebuild, the default).
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    onlyLoadAppFromAsar: true,
  },

  win: {
    target: ['nsis'],
    icon: 'build/icon.ico',
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
    createDesktopShortcut: true,
    createStartMenuShortcut: true,
    shortcutName: 'Chordline',
    artifactName: '${productName}-Setup-${version}-${arch}.${ext}',
  },

  mac: {
    target: ['dmg'],
    icon: 'build/icon.icns',
    category: 'public.app-category.business',
    hardenedRuntime: true,
    // The microphone (the voice issue); JIT for V8 under the hardened runtime.
    entitlements: 'build/entitlements.mac.plist',
    entitlementsInherit: 'build/entitlements.mac.plist',
    extendInfo: {
      NSMicrophoneUsageDescription: 'Chordline uses the microphone for your calls.',
    },
  },
  dmg: {
    artifactName: '${productName}-${version}-${arch}.${ext}',
  },

  linux: {
    target: ['AppImage', 'deb'],
    icon: 'build/icons',
    executableName: 'chordline',
    category: 'Network;Telephony;',
    synopsis: 'A serverless desktop phone',
    description:
      'A desktop phone for organisations that want voice without a PBX: peers find each other ' +
      'through a Chord overlay and call each other over SIP, each message signed.',
    maintainer: 'Chordline maintainers <maintainers@chordline.org>',
    vendor: 'Chordline',
  },
  appImage: {
    artifactName: '${productName}-${version}-${arch}.${ext}',
  },
  deb: {
    packageCategory: 'comm',
    priority: 'optional',
  },

  publish: null,
};

export default config;
