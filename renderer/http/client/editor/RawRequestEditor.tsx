import { defaultKeymap, history, historyField, historyKeymap } from '@codemirror/commands';
import { Annotation, Compartment, EditorState, Facet, Prec, Transaction } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { type RefObject, useEffect, useImperativeHandle, useRef } from 'react';
import type { TextChange } from '../../../../shared/http/compose/editRequest';
import type { LintDiagnostic } from '../../../../shared/http/compose/lintRequest';
import { caretOutsideCrlf } from './caret';
import { rawRequestHighlight, rawRequestLanguage } from './language';
import { flashRange, rawRequestMarks, setDiagnostics } from './marks';
import { rawRequestTheme } from './theme';

export type EditorLineEnding = 'crlf' | 'lf';

/** A change the model made to the text (a helper, a template, Content-Length kept in sync). */
export interface ModelEdit {
  readonly id: number;
  /** The text the change applies to. */
  readonly base: string;
  readonly change: TextChange;
  readonly range: { from: number; to: number };
  /** Whether Undo takes it back on its own (helpers, templates) or with the typing that caused it. */
  readonly undoable: boolean;
}

export interface RawRequestEditorHandle {
  /** Selects a range (a diagnostic's place) and brings it into view. */
  select(from: number, to: number): void;
  focus(): void;
}

interface RawRequestEditorProps {
  text: string;
  onChange: (text: string) => void;
  lineEnding: EditorLineEnding;
  diagnostics: readonly LintDiagnostic[];
  /** The text the diagnostics were computed for: stale ones are not drawn. */
  diagnosticsText: string;
  edit: ModelEdit | undefined;
  handle?: RefObject<RawRequestEditorHandle | null>;
  /** Ctrl/Cmd+Enter. */
  onSubmit?: () => void;
  /** Keeps undo history and selection across unmounts (navigating away and back), per key. */
  persistKey?: object;
}

interface SavedState {
  doc: string;
}

const savedStates = new WeakMap<object, SavedState>();

const lineEndingFacet = Facet.define<EditorLineEnding, EditorLineEnding>({
  combine: (values) => values[0] ?? 'crlf',
});

const fromModel = Annotation.define<boolean>();

/** Enter writes the chosen line ending, CRLF unless the user picked LF; never an indentation. */
function insertLineEnding(view: EditorView): boolean {
  const ending = view.state.facet(lineEndingFacet) === 'crlf' ? '\r\n' : '\n';
  view.dispatch(view.state.update(view.state.replaceSelection(ending), { scrollIntoView: true, userEvent: 'input' }));
  return true;
}

/**
 * The raw request editor (CodeMirror 6), bytes exact: only LF splits lines, so a
 * CR stays a character of the text and is drawn as a CR marker, and every LF has
 * its marker too. It lives in a shadow root because CodeMirror's styles are then
 * adopted style sheets, which the page's Content-Security-Policy allows, where
 * the <style> element it would otherwise add is refused.
 */
export function RawRequestEditor(props: RawRequestEditorProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<EditorView | null>(null);
  const latest = useRef(props);
  latest.current = props;
  /** The text the editor and the model last agreed on. */
  const synced = useRef(props.text);
  const appliedEdit = useRef(props.edit?.id ?? 0);
  const endings = useRef(new Compartment());

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
    const parent = document.createElement('div');
    root.replaceChildren(parent);
    const extensions = [
      EditorState.lineSeparator.of('\n'),
      endings.current.of(lineEndingFacet.of(latest.current.lineEnding)),
      history(),
      Prec.high(
        keymap.of([
          { key: 'Enter', run: insertLineEnding },
          {
            key: 'Mod-Enter',
            run: () => {
              latest.current.onSubmit?.();
              return latest.current.onSubmit !== undefined;
            },
          },
        ]),
      ),
      keymap.of([...defaultKeymap, ...historyKeymap]),
      rawRequestLanguage,
      rawRequestHighlight,
      rawRequestMarks,
      caretOutsideCrlf,
      rawRequestTheme,
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-label': 'Raw request',
        spellcheck: 'false',
        autocorrect: 'off',
        autocapitalize: 'off',
      }),
      EditorView.updateListener.of((update) => {
        if (!update.docChanged || update.transactions.some((tr) => tr.annotation(fromModel))) return;
        const text = update.state.doc.toString();
        synced.current = text;
        latest.current.onChange(text);
      }),
    ];
    const key = latest.current.persistKey;
    const saved = key ? savedStates.get(key) : undefined;
    const state =
      saved && saved.doc === latest.current.text
        ? EditorState.fromJSON(saved, { extensions }, { history: historyField })
        : EditorState.create({ doc: latest.current.text, extensions });
    const view = new EditorView({ root, parent, state });
    viewRef.current = view;
    synced.current = latest.current.text;
    return () => {
      if (key) savedStates.set(key, view.state.toJSON({ history: historyField }) as SavedState);
      view.destroy();
      viewRef.current = null;
    };
  }, []);

  useImperativeHandle(
    props.handle,
    () => ({
      select(from, to) {
        const view = viewRef.current;
        if (!view) return;
        const length = view.state.doc.length;
        view.dispatch({
          selection: { anchor: Math.min(from, length), head: Math.min(to, length) },
          scrollIntoView: true,
        });
        view.focus();
      },
      focus() {
        viewRef.current?.focus();
      },
    }),
    [],
  );

  // The model changed the text (helper, template, Content-Length sync, or a new text altogether).
  useEffect(() => {
    const view = viewRef.current;
    const { text, edit } = props;
    if (!view || text === synced.current) return;
    const applies = edit !== undefined && edit.id !== appliedEdit.current && edit.base === synced.current;
    if (edit) appliedEdit.current = edit.id;
    const spec = applies
      ? {
          changes: edit.change,
          effects: flashRange.of(edit.range),
          annotations: [fromModel.of(true), Transaction.addToHistory.of(edit.undoable)],
        }
      : {
          changes: { from: 0, to: view.state.doc.length, insert: text },
          annotations: [fromModel.of(true)],
        };
    synced.current = text;
    const docBefore = view.state.doc;
    whenIdle(() => {
      // Typed in the meantime (only possible when the change had to wait): positions no longer fit.
      if (view.state.doc !== docBefore) {
        const current = latest.current.text;
        synced.current = current;
        view.dispatch({
          changes: { from: 0, to: view.state.doc.length, insert: current },
          annotations: fromModel.of(true),
        });
        return;
      }
      view.dispatch(spec);
      if (applies && edit.undoable) {
        view.dispatch({ effects: EditorView.scrollIntoView(Math.min(edit.range.from, view.state.doc.length)) });
      }
    });
  }, [props.text, props.edit]);

  useEffect(() => {
    const view = viewRef.current;
    if (!view) return;
    whenIdle(() => view.dispatch({ effects: endings.current.reconfigure(lineEndingFacet.of(props.lineEnding)) }));
  }, [props.lineEnding]);

  useEffect(() => {
    const view = viewRef.current;
    if (!view || props.diagnosticsText !== synced.current) return;
    whenIdle(() => view.dispatch({ effects: setDiagnostics.of(props.diagnostics) }));
  }, [props.diagnostics, props.diagnosticsText]);

  // Helper flashes fade: the highlight is there to show where, not to stay.
  useEffect(() => {
    if (!props.edit) return;
    const timer = setTimeout(() => viewRef.current?.dispatch({ effects: flashRange.of(null) }), 2500);
    return () => clearTimeout(timer);
  }, [props.edit]);

  return <div ref={hostRef} className="raw-editor" />;
}

/**
 * A model change can arrive while CodeMirror is still applying the keystroke that
 * caused it (the update listener tells the model synchronously); CodeMirror refuses
 * nested updates, so such a change waits for the next task.
 */
function whenIdle(run: () => void): void {
  try {
    run();
  } catch (error) {
    if (error instanceof Error && /while an update is in progress/.test(error.message)) setTimeout(run, 0);
    else throw error;
  }
}
