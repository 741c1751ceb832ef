import { EditorSelection, EditorState, type Text } from '@codemirror/state';

/**
 * Keeps the caret out of the gap between the CR and the LF of a CRLF. A CR is a
 * character of the text here, so End, a click past the end of a line or Left from
 * the next line would otherwise leave the caret after it, and what is typed next
 * would split the line ending into a bare CR and a bare LF. Moving right from just
 * before the CR jumps over the whole CRLF, as it does over any line break.
 */
function betweenCrAndLf(doc: Text, pos: number): boolean {
  if (pos === 0 || pos >= doc.length) return false;
  const line = doc.lineAt(pos);
  return pos === line.to && line.number < doc.lines && doc.sliceString(pos - 1, pos) === '\r';
}

export const caretOutsideCrlf = EditorState.transactionFilter.of((tr) => {
  if (!tr.selection) return tr;
  const { doc, selection } = tr.state;
  const before = tr.startState.selection;
  let changed = false;
  const ranges = selection.ranges.map((range, index) => {
    if (!betweenCrAndLf(doc, range.head)) return range;
    changed = true;
    const previous = before.ranges[index]?.head;
    // From just before the CR, moving forward (Right, Shift+Right): past the LF; otherwise before the CR.
    const mapped = previous === undefined || tr.docChanged ? undefined : previous;
    const head = mapped === range.head - 1 ? range.head + 1 : range.head - 1;
    return range.empty ? EditorSelection.cursor(head) : EditorSelection.range(range.anchor, head);
  });
  if (!changed) return tr;
  return [tr, { selection: EditorSelection.create(ranges, selection.mainIndex), sequential: true }];
});
