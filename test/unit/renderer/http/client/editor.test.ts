import { EditorSelection, EditorState } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { caretOutsideCrlf } from '../../../../../renderer/http/client/editor/caret';
import { rawRequestLanguage } from '../../../../../renderer/http/client/editor/language';
import { diagnosticsField, setDiagnostics } from '../../../../../renderer/http/client/editor/marks';
import { lintRequest } from '../../../../../shared/http/compose/lintRequest';

/**
 * The raw request editor's state-level behaviour (no DOM needed): only LF splits lines
 * so a CR stays a character, the caret never rests between CR and LF, the colouring
 * finds request lines (pipelined ones too), header names and values and the body, and
 * the linter's findings land at their exact places.
 */

function editorState(doc: string): EditorState {
  return EditorState.create({
    doc,
    extensions: [EditorState.lineSeparator.of('\n'), caretOutsideCrlf, diagnosticsField],
  });
}

const request = 'GET / HTTP/1.1\r\nHost: a\r\n\r\n';

describe('bytes exact', () => {
  it('keeps every CR as a character of the text', () => {
    const state = editorState(request);
    expect(state.doc.toString()).toBe(request);
    expect(state.doc.lines).toBe(4);
    expect(state.doc.line(1).text).toBe('GET / HTTP/1.1\r');
    const lf = editorState('GET / HTTP/1.1\nHost: a\r\n');
    expect(lf.doc.line(1).text).toBe('GET / HTTP/1.1');
    expect(lf.doc.toString()).toBe('GET / HTTP/1.1\nHost: a\r\n');
  });
});

describe('the caret and CRLF', () => {
  it('End or a click past the line end puts the caret before the CR, not between CR and LF', () => {
    const state = editorState(request).update({ selection: { anchor: 15 } }).state;
    expect(state.selection.main.head).toBe(14);
    expect(state.update(state.replaceSelection('X')).state.doc.toString()).toBe('GET / HTTP/1.1X\r\nHost: a\r\n\r\n');
  });

  it('Right from before the CR goes over the whole CRLF; Left from the next line stops before the CR', () => {
    const before = editorState(request).update({ selection: { anchor: 14 } }).state;
    expect(before.update({ selection: { anchor: 15 } }).state.selection.main.head).toBe(16);
    const nextLine = editorState(request).update({ selection: { anchor: 16 } }).state;
    expect(nextLine.update({ selection: { anchor: 15 } }).state.selection.main.head).toBe(14);
  });

  it('a selection keeps its anchor; a bare CR or the end of the text is left alone', () => {
    const selected = editorState(request).update({ selection: EditorSelection.single(4, 15) }).state;
    expect(selected.selection.main).toMatchObject({ anchor: 4, head: 14 });
    const all = editorState('GET / HTTP/1.1\r').update({ selection: EditorSelection.single(0, 15) }).state;
    expect(all.selection.main).toMatchObject({ anchor: 0, head: 15 });
    const bareCr = editorState('a\rb').update({ selection: { anchor: 2 } }).state;
    expect(bareCr.selection.main.head).toBe(2);
  });
});

function tokens(text: string): string[] {
  const tree = rawRequestLanguage.parser.parse(text);
  const out: string[] = [];
  tree.iterate({
    enter: (node) => {
      if (!node.type.isTop && node.from !== node.to) out.push(`${node.type.name} ${text.slice(node.from, node.to)}`);
    },
  });
  return out;
}

describe('HTTP colouring', () => {
  it('request line, header names and values, body; a pipelined request starts again', () => {
    expect(tokens('POST /form HTTP/1.1\r\nHost: a\r\n\r\nx=1\r\nGET /b HTTP/1.0\r\n\r\n')).toEqual([
      'method POST',
      'target /form',
      'version HTTP/1.1',
      'headerName Host',
      'colon :',
      'headerValue  a',
      'body x=1',
      'method GET',
      'target /b',
      'version HTTP/1.0',
    ]);
  });

  it('marks what does not fit: a fourth word on the request line, a header line without a colon', () => {
    expect(tokens('GET / HTTP/1.1 extra\nno colon here\n\n')).toEqual([
      'method GET',
      'target /',
      'version HTTP/1.1',
      'extra extra',
      'extra no colon here',
    ]);
  });
});

function marks(state: EditorState): Array<{ from: number; to: number; text: string; point: boolean }> {
  const out: Array<{ from: number; to: number; text: string; point: boolean }> = [];
  state.field(diagnosticsField).between(0, state.doc.length, (from, to, value) => {
    out.push({ from, to, text: state.doc.sliceString(from, to), point: value.spec.widget !== undefined });
  });
  return out;
}

describe('linter findings in the editor', () => {
  it('underline exactly what the linter names, and point where something is missing', () => {
    const text = 'GET / HTTP/1.1\nAccept: */*\r\n';
    let state = editorState(text);
    const diagnostics = lintRequest(text);
    state = state.update({ effects: setDiagnostics.of(diagnostics) }).state;
    const found = marks(state);
    expect(found).toContainEqual({ from: 0, to: 14, text: 'GET / HTTP/1.1', point: false }); // no Host
    expect(found).toContainEqual({ from: 14, to: 15, text: '\n', point: false }); // the bare LF
    expect(found).toContainEqual({ from: text.length, to: text.length, text: '', point: true }); // no empty line
  });

  it('a finding about a long body is underlined on its first line only, and moves with edits', () => {
    const body = 'line one\r\nline two\r\nline three';
    const text = `GET / HTTP/1.1\r\nHost: a\r\n\r\n${body}`;
    let state = editorState(text);
    state = state.update({ effects: setDiagnostics.of(lintRequest(text)) }).state;
    const bodyStart = text.indexOf('line one');
    expect(marks(state)).toContainEqual({ from: bodyStart, to: bodyStart + 9, text: 'line one\r', point: false });
    state = state.update({ changes: { from: 0, insert: 'XX' } }).state;
    expect(marks(state)).toContainEqual({ from: bodyStart + 2, to: bodyStart + 11, text: 'line one\r', point: false });
  });
});
