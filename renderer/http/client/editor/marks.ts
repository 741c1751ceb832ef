import {
  type EditorState,
  type Extension,
  type Range,
  RangeSet,
  RangeSetBuilder,
  RangeValue,
  StateEffect,
  StateField,
} from '@codemirror/state';
import {
  Decoration,
  type DecorationSet,
  EditorView,
  highlightSpecialChars,
  ViewPlugin,
  type ViewUpdate,
  WidgetType,
} from '@codemirror/view';
import { describeControl } from '../../../../shared/bytes';
import type { LintDiagnostic } from '../../../../shared/http/compose/lintRequest';

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
  constructor(readonly flagged: LintDiagnostic['severity'] | undefined) {
    super();
  }

  override toDOM(): HTMLElement {
    const element = marker('LF', 'line feed (LF, \\n, byte 0x0A)', 'eol');
    // A line break the linter flags (a bare LF) has no text to underline: its marker is outlined instead.
    if (this.flagged) element.classList.add(`cm-byte-flagged-${this.flagged}`);
    element.setAttribute('aria-hidden', 'true');
    return element;
  }

  override eq(other: LineFeedWidget): boolean {
    return other.flagged === this.flagged;
  }

  override ignoreEvent(): boolean {
    return false;
  }
}

const lineFeeds = {
  plain: Decoration.widget({ widget: new LineFeedWidget(undefined), side: 1 }),
  error: Decoration.widget({ widget: new LineFeedWidget('error'), side: 1 }),
  warning: Decoration.widget({ widget: new LineFeedWidget('warning'), side: 1 }),
  info: Decoration.widget({ widget: new LineFeedWidget('info'), side: 1 }),
};

class FlaggedBreak extends RangeValue {
  constructor(readonly severity: LintDiagnostic['severity']) {
    super();
  }
}

/** Line breaks inside a finding's range, moved along with edits until the next findings arrive. */
const flaggedBreaks = StateField.define<RangeSet<FlaggedBreak>>({
  create: () => RangeSet.empty,
  update(value, tr) {
    let next = value.map(tr.changes);
    for (const effect of tr.effects) {
      if (!effect.is(setDiagnostics)) continue;
      const { doc } = tr.state;
      const ranges: Range<FlaggedBreak>[] = [];
      for (const d of effect.value) {
        const from = Math.min(d.offset, doc.length);
        const to = Math.min(d.offset + d.length, doc.length);
        if (to - from > 2) continue;
        const text = doc.sliceString(from, to);
        const lf = text.indexOf('\n');
        if (lf !== -1) ranges.push(new FlaggedBreak(d.severity).range(from + lf));
      }
      next = RangeSet.of(ranges, true);
    }
    return next;
  },
});

function flagAt(state: EditorState, pos: number): LintDiagnostic['severity'] | undefined {
  let found: LintDiagnostic['severity'] | undefined;
  state.field(flaggedBreaks).between(pos, pos, (from, _to, value) => {
    if (from === pos) found = value.severity;
  });
  return found;
}

function visibleLineFeedMarks(view: EditorView): DecorationSet {
  const builder = new RangeSetBuilder<Decoration>();
  const { doc } = view.state;
  for (const { from, to } of view.visibleRanges) {
    let line = doc.lineAt(from);
    for (;;) {
      // Every line but the last ends in an LF (the editor splits lines only there).
      if (line.number < doc.lines) builder.add(line.to, line.to, lineFeeds[flagAt(view.state, line.to) ?? 'plain']);
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
      this.decorations = visibleLineFeedMarks(view);
    }

    update(update: ViewUpdate): void {
      const flagsChanged = update.startState.field(flaggedBreaks) !== update.state.field(flaggedBreaks);
      if (update.docChanged || update.viewportChanged || flagsChanged) {
        this.decorations = visibleLineFeedMarks(update.view);
      }
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
    // A finding about a whole body (a GET with one) is underlined on its first line only: a
    // wavy line under 100 KB says nothing more and hides the text; the list gives the rest.
    const firstLineEnd = state.doc.lineAt(from).to;
    const end = Math.min(d.offset + d.length, length);
    const to = end > firstLineEnd + 1 && firstLineEnd > from ? firstLineEnd : end;
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

export const rawRequestMarks: Extension = [
  visibleControls,
  flaggedBreaks,
  visibleLineFeeds,
  diagnosticsField,
  flashField,
];
