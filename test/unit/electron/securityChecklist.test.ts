/**
 * Electron's security checklist, read from the source of every file under
 * electron/: the wiring test (electronMain.test.ts) proves the one window main.ts
 * creates is locked down; this proves no other creation site or weaker option
 * exists anywhere, now or after a future feature adds a window.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { root, sourceFiles } from '../../support/sourceFiles';

interface Finding {
  readonly file: string;
  readonly text: string;
}

/** Every `new X(...)` whose X is one of `classes`, and every property `name: value` of an object literal. */
function scan(file: string, text = readFileSync(file, 'utf8')) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const constructions: Array<{ className: string; argument: string }> = [];
  const properties: Array<{ name: string; value: string }> = [];
  const visit = (node: ts.Node) => {
    if (ts.isNewExpression(node)) {
      constructions.push({
        className: node.expression.getText(source),
        argument: node.arguments?.[0]?.getText(source) ?? '',
      });
    }
    if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) {
      properties.push({ name: node.name.text, value: node.initializer.getText(source) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { constructions, properties };
}

const files = sourceFiles(join(root, 'electron'));
const scanned = files.map((file) => ({ file: relative(root, file).split('\\').join('/'), ...scan(file) }));

const windowClasses = ['BrowserWindow', 'BrowserView', 'WebContentsView'];

/** Options that, set this way, switch off part of the sandboxing or web security. */
const unsafeSettings: Record<string, string> = {
  contextIsolation: 'false',
  sandbox: 'false',
  nodeIntegration: 'true',
  nodeIntegrationInWorker: 'true',
  nodeIntegrationInSubFrames: 'true',
  webviewTag: 'true',
  webSecurity: 'false',
  allowRunningInsecureContent: 'true',
  experimentalFeatures: 'true',
  enableBlinkFeatures: '*',
};

describe('Electron security checklist, over all of electron/', () => {
  it('recognises window creation and weakened options in source (the scan is not a no-op)', () => {
    const sample = scan(
      'sample.ts',
      "const w = new electron.BrowserWindow({ webPreferences: { sandbox: false, 'nodeIntegration': true } });",
    );
    expect(sample.constructions).toEqual([
      { className: 'electron.BrowserWindow', argument: expect.stringMatching(/^\{/) },
    ]);
    expect(sample.properties).toEqual(
      expect.arrayContaining([
        { name: 'sandbox', value: 'false' },
        { name: 'nodeIntegration', value: 'true' },
      ]),
    );
  });

  it('scans the shell itself', () => {
    expect(scanned.map(({ file }) => file)).toEqual(
      expect.arrayContaining(['electron/main.ts', 'electron/window.ts', 'electron/preload.ts']),
    );
  });

  it('creates every window from windowOptions() (contextIsolation, sandbox, no Node, no webview)', () => {
    const sites: Finding[] = scanned.flatMap(({ file, constructions }) =>
      constructions
        .filter(({ className }) => windowClasses.some((name) => className === name || className.endsWith(`.${name}`)))
        .map(({ argument }) => ({ file, text: argument })),
    );
    expect(sites).not.toEqual([]);
    for (const site of sites) expect(site.text, site.file).toMatch(/^windowOptions\(/);
  });

  it('sets no option that weakens the sandbox or web security anywhere', () => {
    const weakened: Finding[] = scanned.flatMap(({ file, properties }) =>
      properties
        .filter(({ name, value }) => unsafeSettings[name] === '*' || unsafeSettings[name] === value)
        .map(({ name, value }) => ({ file, text: `${name}: ${value}` })),
    );
    expect(weakened).toEqual([]);
  });

  it('never loads the page from file:// and never turns the sandbox off on the command line', () => {
    const main = readFileSync(join(root, 'electron', 'main.ts'), 'utf8');
    expect(main).toContain('app.enableSandbox()');
    expect(main).toContain('loadURL(paths.appUrl)');
    for (const { file } of scanned) {
      const text = readFileSync(join(root, file), 'utf8');
      expect(text, file).not.toMatch(/\.loadFile\(|no-sandbox|disable-web-security|allowFileAccess/);
    }
  });

  it('opens external links only in main.ts, after the user confirms', () => {
    const openers = scanned
      .filter(({ file }) => readFileSync(join(root, file), 'utf8').includes('openExternal('))
      .map(({ file }) => file);
    expect(openers).toEqual(['electron/main.ts']);
    const main = readFileSync(join(root, 'electron', 'main.ts'), 'utf8');
    expect(main).toMatch(/userChoseToOpen\(answer\) \? shell\.openExternal\(decision\.url\)/);
  });
});
