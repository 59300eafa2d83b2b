import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES, EVENT_NAMES } from '../../../src-main/ipc/contract.ts';
import { tempDirs } from '../../helpers/temp-dir.ts';
import { buildDesktop, REPO, runTool } from './build-tools.ts';

/** Every module specifier a bundle loads: require('x'), import … from 'x', import('x'). */
function loadedModules(
  code: string,
  file: string,
): { required: string[]; imported: string[]; dynamic: string[] } {
  const source = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const found = { required: [] as string[], imported: [] as string[], dynamic: [] as string[] };
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const [first] = node.arguments;
      const name = ts.isStringLiteralLike(first) ? first.text : '<computed>';
      if (ts.isIdentifier(node.expression) && node.expression.text === 'require') found.required.push(name);
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) found.dynamic.push(name);
    }
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      found.imported.push((node.moduleSpecifier as ts.StringLiteral).text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

describe('the desktop build (electron-vite build)', () => {
  const dirs = tempDirs();
  let out: string;

  beforeAll(async () => {
    out = join(dirs.make('chordline-desktop-build-'), 'out');
    await buildDesktop(out);
  }, 180_000);
  afterAll(() => dirs.cleanup());

  it('produces the main process, the two preloads and the renderer', () => {
    for (const file of [
      'main/index.js',
      'preload/index.cjs',
      'preload/passphrase.cjs',
      'renderer/index.html',
    ]) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
  });

  it("builds each sandboxed preload as one CommonJS file that requires nothing but 'electron'", async () => {
    for (const file of ['index.cjs', 'passphrase.cjs']) {
      const code = await readFile(join(out, 'preload', file), 'utf8');
      // A classic script compiles; an ES module (import/export) would be a SyntaxError here.
      expect(() => new Script(code, { filename: file })).not.toThrow();
      expect(loadedModules(code, file)).toEqual({ required: ['electron'], imported: [], dynamic: [] });
      expect(code).not.toMatch(/import\.meta/);
    }
  });

  it('exposes one function per command and `on` for the events, and never ipcRenderer itself', async () => {
    const code = await readFile(join(out, 'preload/index.cjs'), 'utf8');
    expect(code).toMatch(/exposeInMainWorld\("chordline", createPhoneApi\(electron\.ipcRenderer\)\)/);
    for (const name of [...COMMAND_NAMES, ...EVENT_NAMES]) expect(code).toContain(`"${name}"`);
    expect(code.match(/exposeInMainWorld/g)).toHaveLength(1);
  });

  it('leaves native and patched packages to node_modules: the main bundle imports them by name', async () => {
    const code = await readFile(join(out, 'main/index.js'), 'utf8');
    const pkg = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const { imported, dynamic, required } = loadedModules(code, 'index.js');
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const packages = new Set(imported.filter((m) => !builtins.has(m)).map(packageOf));
    expect(packages.has('better-sqlite3')).toBe(true);
    expect(packages.has('sip.js')).toBe(true);
    expect(packages.has('electron')).toBe(true);
    for (const name of packages) {
      expect(name === 'electron' || name in pkg.dependencies, `${name} is a dependency`).toBe(true);
    }
    // One file: no chunk of our own code split off beside it.
    expect(imported.filter((m) => m.startsWith('.'))).toEqual([]);
    expect(dynamic.filter((m) => m.startsWith('.'))).toEqual([]);
    expect(required).toEqual([]);
  });

  it("the renderer's page loads only files the build wrote, by relative path", async () => {
    const html = await readFile(join(out, 'renderer/index.html'), 'utf8');
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref, ref).toMatch(/^\.\//);
      expect(existsSync(join(out, 'renderer', ref)), ref).toBe(true);
    }
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script for the CSP to refuse
  });
});

describe("the main process and preloads against Electron's own types", () => {
  it('type-check (tsc -p tsconfig.electron.json)', async () => {
    await runTool('node_modules/typescript/bin/tsc', ['-p', 'tsconfig.electron.json', '--noEmit']);
  }, 300_000);
});
