import { type EditorState, type Extension, RangeSetBuilder, StateEffect, StateField } from '@codemirror/state';
import {
  Decoration,
  type DecorationSet,
  EditorView,
  highlightSpecialChars,
  ViewPlugin,
  type ViewUpdate,
  WidgetType,
} from '@codemirror/view';
import { describeControl } from '../../shared/bytes';
import type { LintDiagnostic } from '../../shared/http/lintRequest';

/**
 * What makes the raw request's bytes visible in the editor: CR and other control
 * characters as small named markers (the transcript's CR/LF style), an LF marker
 * at the end of every line that has one, the linter's findings underlined at their
 * exact place, and a short flash where a helper just wrote.
 */

function controlName(code: number): string {
  return describeControl(code).split(' ')[1] ?? '?';
}

function marker(name: string, title: string, kind: 'eol' | 'control'): HTMLElement {
  const element = document.createElement('abbr');
  element.className = `cm-byte-marker cm-byte-${kind}`;
  element.title = title;
  element.textContent = name;
  return element;
}

/** Control characters (CR above all) as their ASCII names; CodeMirror keeps them as one character each. */
export const visibleControls = highlightSpecialChars({
  render: (code, description) => {
    if (code === 0x0d) return marker('CR', 'carriage return (CR, \\r, byte 0x0D)', 'eol');
    const name = code < 0x20 || code === 0x7f ? controlName(code) : `U+${code.toString(16).toUpperCase()}`;
    return marker(name, description ?? describeControl(code), 'control');
  },
  addSpecialChars: /\t/,
});

class LineFeedWidget extends WidgetType {
  override toDOM(): HTMLElement {
    const element = marker('LF', 'line feed (LF, \\n, byte 0x0A)', 'eol');
    element.setAttribute('aria-hidden', 'true');
    return element;
  }

  override eq(): boolean {
    return true;
  }

  override ignoreEvent(): boolean {
    return false;
  }
}

const lineFeed = Decoration.widget({ widget: new LineFeedWidget(), side: 1 });

function lineFeeds(view: EditorView): DecorationSet {
  const builder = new RangeSetBuilder<Decoration>();
  const { doc } = view.state;
  for (const { from, to } of view.visibleRanges) {
    let line = doc.lineAt(from);
    for (;;) {
      // Every line but the last ends in an LF (the editor splits lines only there).
      if (line.number < doc.lines) builder.add(line.to, line.to, lineFeed);
      if (line.to >= to || line.number >= doc.lines) break;
      line = doc.line(line.number + 1);
    }
  }
  return builder.finish();
}

/** LF markers only for the lines on screen, so a long body costs nothing off screen. */
export const visibleLineFeeds = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;

    constructor(view: EditorView) {
      this.decorations = lineFeeds(view);
    }

    update(update: ViewUpdate): void {
      if (update.docChanged || update.viewportChanged) this.decorations = lineFeeds(update.view);
    }
  },
  { decorations: (plugin) => plugin.decorations },
);

// ---- the linter's findings ----

class PointWidget extends WidgetType {
  constructor(
    readonly severity: LintDiagnostic['severity'],
    readonly message: string,
  ) {
    super();
  }

  override toDOM(): HTMLElement {
    const element = document.createElement('span');
    element.className = `cm-lint-point cm-lint-point-${this.severity}`;
    element.title = this.message;
    element.setAttribute('aria-hidden', 'true');
    return element;
  }

  override eq(other: PointWidget): boolean {
    return other.severity === this.severity && other.message === this.message;
  }
}

export const setDiagnostics = StateEffect.define<readonly LintDiagnostic[]>();

function diagnosticDecorations(state: EditorState, list: readonly LintDiagnostic[]): DecorationSet {
  const length = state.doc.length;
  const ranges = list.map((d) => {
    const from = Math.min(d.offset, length);
    const to = Math.min(d.offset + d.length, length);
    if (to > from) {
      return Decoration.mark({
        class: `cm-lint-range cm-lint-${d.severity}`,
        attributes: { title: d.message },
      }).range(from, to);
    }
    return Decoration.widget({ widget: new PointWidget(d.severity, d.message), side: 1 }).range(from);
  });
  return Decoration.set(ranges, true);
}

/** The linter's findings as underlines (or a small wedge where something is missing), moved along with edits. */
export const diagnosticsField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(value, tr) {
    let next = value.map(tr.changes);
    for (const effect of tr.effects) {
      if (effect.is(setDiagnostics)) next = diagnosticDecorations(tr.state, effect.value);
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

// ---- where a helper just wrote ----

export const flashRange = StateEffect.define<{ from: number; to: number } | null>();

const flashMark = Decoration.mark({ class: 'cm-helper-edit' });

export const flashField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(value, tr) {
    let next = value.map(tr.changes);
    for (const effect of tr.effects) {
      if (!effect.is(flashRange)) continue;
      const range = effect.value;
      const length = tr.state.doc.length;
      next =
        range && Math.min(range.to, length) > Math.min(range.from, length)
          ? Decoration.set([flashMark.range(Math.min(range.from, length), Math.min(range.to, length))])
          : Decoration.none;
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

export const rawRequestMarks: Extension = [visibleControls, visibleLineFeeds, diagnosticsField, flashField];
