/**
 * Rule: only electron/main.ts and electron/preload.ts may import 'electron' (or
 * 'electron/...'), in any form: `import`, `import type`, `export ... from`,
 * `require()` and `import()` all count. Type-only imports count too, so that
 * every other module keeps plain structural interfaces and stays runnable and
 * testable in plain Node. ESLint's no-restricted-imports says the same for lint;
 * this test also catches require() and dynamic import().
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { root, sourceFiles } from '../../support/sourceFiles';

const allowed = ['electron/main.ts', 'electron/preload.ts'];

/** Module names a file imports, requires or dynamically imports; comments and strings elsewhere are ignored. */
function importedModules(text: string): string[] {
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles.map((file) => file.fileName);
}

const importsElectron = (text: string) =>
  importedModules(text).some((name) => name === 'electron' || name.startsWith('electron/'));

describe('only the Electron shell imports electron', () => {
  it('recognises every form of import and nothing in comments', () => {
    expect(importsElectron("import { app } from 'electron';")).toBe(true);
    expect(importsElectron("import type { WebContents } from 'electron';")).toBe(true);
    expect(importsElectron("export { ipcMain } from 'electron';")).toBe(true);
    expect(importsElectron("const { app } = require('electron');")).toBe(true);
    expect(importsElectron("const electron = await import('electron');")).toBe(true);
    expect(importsElectron("import { ipcRenderer } from 'electron/renderer';")).toBe(true);
    expect(importsElectron("// never require('electron') here\nconst a = 'electron';")).toBe(false);
    expect(importsElectron("import { x } from './electronPort';")).toBe(false);
  });

  it('finds no other file under electron/, shared/ or renderer/ that imports it', () => {
    const files = ['electron', 'shared', 'renderer'].flatMap((dir) => sourceFiles(join(root, dir)));
    const importers = files
      .filter((file) => importsElectron(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file).split('\\').join('/'))
      .sort();
    // The scan must see the two shell files, or it is scanning the wrong place.
    expect(files.map((file) => relative(root, file).split('\\').join('/'))).toEqual(expect.arrayContaining(allowed));
    expect(importers).toEqual(allowed);
  });
});
