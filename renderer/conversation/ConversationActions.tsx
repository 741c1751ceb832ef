import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { formatEscapes, parseEscapes, toVisibleSegments } from '../../shared/bytes';
import {
  type CheckResult,
  type Conversation,
  type ConversationFile,
  type ConversationResult,
  type ExportLanguage,
  exportConversationFile,
  makeConversationFile,
  makeStep,
  replayFile,
  serializeConversationFile,
  unknownVariables,
} from '../../shared/conversation/index';
import { downloadText } from '../app/download';
import { useClient } from '../app/hooks';
import { Segments } from '../transcript/ByteView';
import {
  type ConversationSource,
  conversationExtension,
  type DraftStep,
  lookupFor,
  type OpenedFile,
  openInTool,
  openText,
  sends,
  takePending,
  toolLabels,
} from './model';
import './conversation.css';

/**
 * Save conversation…, Open conversation…, Replay and Export as… for one client tool:
 * the tool says what it sent and got and how to load steps; this does the rest.
 */
export function ConversationActions({ source }: { source: ConversationSource }) {
  const client = useClient();
  const [opened, setOpened] = useState<OpenedFile | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [elsewhere, setElsewhere] = useState<OpenedFile | undefined>(undefined);
  const [saving, setSaving] = useState<{ title: string; steps: DraftStep[]; host: string; port: number } | undefined>();
  const [exporting, setExporting] = useState<OpenedFile | undefined>(undefined);
  const [replay, setReplay] = useState<
    { file: ConversationFile; results: CheckResult[]; done: ConversationResult[] | undefined } | undefined
  >();
  const input = useRef<HTMLInputElement>(null);
  const headingId = useId();

  const load = (file: OpenedFile) => {
    const conversation = file.file.conversations[0] as Conversation;
    if (conversation.tool !== source.tool) {
      setElsewhere(file);
      setProblem(undefined);
      return;
    }
    setElsewhere(undefined);
    setProblem(undefined);
    setOpened(file);
    setReplay(undefined);
    source.load(conversation, lookupFor(file.file));
  };

  useEffect(() => {
    const take = () => {
      const waiting = takePending(source.tool);
      if (waiting) load(waiting);
    };
    take();
    window.addEventListener('conversation-pending', take);
    return () => window.removeEventListener('conversation-pending', take);
  }, [source.tool]);

  const recorded = (): OpenedFile | string => {
    const recording = source.record();
    if (typeof recording === 'string') return recording;
    const file = makeConversationFile({
      tool: source.tool,
      host: recording.host,
      port: recording.port,
      title: `${toolLabels[source.tool]} conversation`,
      steps: recording.steps.map((step) =>
        makeStep(
          step.sent,
          step.checks.filter((c) => c.keep).map((c) => c.check),
        ),
      ),
    });
    return { name: `${source.tool}-conversation${conversationExtension}`, file };
  };

  const startSave = () => {
    const recording = source.record();
    if (typeof recording === 'string') {
      setProblem(recording);
      return;
    }
    setProblem(undefined);
    setSaving({ title: `${toolLabels[source.tool]} conversation`, ...recording });
  };

  const finishSave = () => {
    if (!saving) return;
    const file = makeConversationFile({
      tool: source.tool,
      host: saving.host,
      port: saving.port,
      title: saving.title,
      steps: saving.steps.map((step) =>
        makeStep(
          step.sent,
          step.checks.filter((c) => c.keep).map((c) => c.check),
        ),
      ),
    });
    const name = `${
      saving.title
        .trim()
        .replace(/[^\w.-]+/g, '-')
        .replace(/^-|-$/g, '')
        .toLowerCase() || source.tool
    }${conversationExtension}`;
    downloadText(name, serializeConversationFile(file));
    setOpened({ name, file });
    setSaving(undefined);
  };

  const openChosen = async (chosen: File | undefined) => {
    if (!chosen) return;
    if (chosen.size > 1024 * 1024) {
      setProblem(`${chosen.name} is larger than 1 MiB: not a conversation file.`);
      return;
    }
    const outcome = openText(chosen.name, await chosen.text());
    if (!outcome.ok) {
      setProblem(outcome.message);
      return;
    }
    load(outcome.opened);
  };

  const runReplay = async () => {
    const what = opened ?? recorded();
    if (typeof what === 'string') {
      setProblem(what);
      return;
    }
    const target = source.target();
    const variables: Record<string, string> = {};
    if (target.host.trim()) variables.host = target.host.trim();
    if (target.port.trim()) variables.port = target.port.trim();
    const unknown = unknownVariables(what.file, variables);
    if (unknown.length > 0) {
      setProblem(unknown.map((p) => `${what.name}:${p.line}:${p.column}: ${p.message}`).join('\n'));
      return;
    }
    setProblem(undefined);
    const results: CheckResult[] = [];
    setReplay({ file: what.file, results: [], done: undefined });
    const done = await replayFile(what.file, {
      client,
      variables,
      fileName: what.name,
      onCheck: (result) => {
        results.push(result);
        setReplay({ file: what.file, results: [...results], done: undefined });
      },
    });
    setReplay({ file: what.file, results, done });
  };

  const startExport = () => {
    const what = opened ?? recorded();
    if (typeof what === 'string') {
      setProblem(what);
      return;
    }
    setProblem(undefined);
    setExporting(what);
  };

  return (
    <section className="conversation-actions" aria-labelledby={headingId}>
      <h3 id={headingId} className="visually-hidden">
        Conversation file
      </h3>
      <div className="actions">
        <button type="button" onClick={startSave}>
          Save conversation…
        </button>
        <button type="button" onClick={() => input.current?.click()}>
          Open conversation…
        </button>
        <input
          ref={input}
          type="file"
          accept={`${conversationExtension},text/plain`}
          hidden
          aria-hidden="true"
          tabIndex={-1}
          onChange={(event) => {
            void openChosen(event.target.files?.[0]);
            event.target.value = '';
          }}
        />
        <button
          type="button"
          onClick={() => void runReplay()}
          disabled={replay !== undefined && replay.done === undefined}
        >
          Replay
        </button>
        <button type="button" onClick={startExport}>
          Export as…
        </button>
      </div>
      {opened && (
        <p className="conversation-opened">
          Conversation: <strong>{opened.file.conversations[0]?.title || opened.name}</strong> ({opened.name}
          {stepCount(opened)}). Replay runs it against the target above.
          <button type="button" className="link-button" onClick={() => setOpened(undefined)}>
            Forget it
          </button>
        </p>
      )}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {elsewhere && (
        <p className="conversation-elsewhere" role="alert">
          {elsewhere.name} is a {toolLabels[elsewhere.file.conversations[0]?.tool ?? 'tcp']} conversation, not a{' '}
          {toolLabels[source.tool]} one.{' '}
          <button type="button" onClick={() => openInTool(elsewhere)}>
            Open it in the {toolLabels[elsewhere.file.conversations[0]?.tool ?? 'tcp']} tool
          </button>
        </p>
      )}
      {saving && (
        <Dialog title="Save conversation" onClose={() => setSaving(undefined)}>
          <label className="field">
            <span>Title</span>
            <input type="text" value={saving.title} onChange={(e) => setSaving({ ...saving, title: e.target.value })} />
          </label>
          <p className="hint">
            Target saved as variables: host = {saving.host}, port = {saving.port} (replace them with --var host=… --var
            port=…). Untick a check to leave it out; edit its name as it should read in a report.
          </p>
          <ol className="conversation-steps">
            {saving.steps.map((step, index) => (
              <li key={index}>
                <div className="mono">
                  {step.sent ? `send "${formatEscapes(step.sent)}"` : 'what the server says first'}
                </div>
                {step.checks.length === 0 && <div className="hint">no reply: no check</div>}
                {step.checks.map((draft, checkIndex) => (
                  <div key={checkIndex} className="conversation-check-edit">
                    <input
                      type="checkbox"
                      aria-label={`Keep check: ${draft.check.name}`}
                      checked={draft.keep}
                      onChange={(e) => setSaving(updateCheck(saving, index, checkIndex, { keep: e.target.checked }))}
                    />
                    <input
                      type="text"
                      aria-label={`Name of check ${checkIndex + 1} of step ${index + 1}`}
                      value={draft.check.name}
                      onChange={(e) =>
                        setSaving(
                          updateCheck(saving, index, checkIndex, {
                            check: { ...draft.check, name: e.target.value, named: e.target.value !== draft.check.text },
                          }),
                        )
                      }
                    />
                  </div>
                ))}
              </li>
            ))}
          </ol>
          <div className="actions">
            <button type="button" className="primary" onClick={finishSave}>
              Save
            </button>
            <button type="button" onClick={() => setSaving(undefined)}>
              Cancel
            </button>
          </div>
        </Dialog>
      )}
      {exporting && (
        <ExportDialog opened={exporting} variables={variablesOf(source)} onClose={() => setExporting(undefined)} />
      )}
      {replay && <ReplayResults file={replay.file} results={replay.results} done={replay.done} />}
    </section>
  );
}

function stepCount(opened: OpenedFile): string {
  const conversation = opened.file.conversations[0];
  if (!conversation) return '';
  const count = sends(opened.file, conversation).length;
  return `, ${count} ${count === 1 ? 'send' : 'sends'}`;
}

function variablesOf(source: ConversationSource): Record<string, string> {
  const target = source.target();
  const variables: Record<string, string> = {};
  if (target.host.trim()) variables.host = target.host.trim();
  if (target.port.trim()) variables.port = target.port.trim();
  return variables;
}

function updateCheck<T extends { steps: DraftStep[] }>(
  saving: T,
  stepIndex: number,
  checkIndex: number,
  change: Partial<DraftStep['checks'][number]>,
): T {
  return {
    ...saving,
    steps: saving.steps.map((step, i) =>
      i !== stepIndex
        ? step
        : { ...step, checks: step.checks.map((c, j) => (j === checkIndex ? { ...c, ...change } : c)) },
    ),
  };
}

/** A modal dialog: focus moves in, Escape closes it. */
function Dialog({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="conversation-dialog"
      aria-labelledby={headingId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={headingId}>{title}</h2>
      {children}
    </dialog>
  );
}

const languageLabels: Record<ExportLanguage, string> = {
  python: 'Python 3',
  java: 'Java',
  shell: 'Shell (printf | nc)',
};
const languageFiles: Record<ExportLanguage, string> = {
  python: 'client.py',
  java: 'TCPClient.java',
  shell: 'client.sh',
};

function ExportDialog({
  opened,
  variables,
  onClose,
}: {
  opened: OpenedFile;
  variables: Record<string, string>;
  onClose: () => void;
}) {
  const [language, setLanguage] = useState<ExportLanguage>('python');
  const [copied, setCopied] = useState<string | undefined>(undefined);
  const outcome = exportConversationFile(opened.file, language, variables, opened.name);
  const fileName =
    language === 'java' && opened.file.conversations[0]?.tool === 'udp' ? 'UDPClient.java' : languageFiles[language];
  return (
    <Dialog title="Export as code" onClose={onClose}>
      <fieldset className="conversation-languages">
        <legend>Language</legend>
        {(['python', 'java', 'shell'] as const).map((each) => (
          <label key={each}>
            <input type="radio" name="export-language" checked={language === each} onChange={() => setLanguage(each)} />{' '}
            {languageLabels[each]}
          </label>
        ))}
      </fieldset>
      {outcome.ok ? (
        <pre className="conversation-program mono" aria-label="Exported program" tabIndex={0}>
          {outcome.program}
        </pre>
      ) : (
        <p className="error" role="alert">
          {outcome.message}
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          disabled={!outcome.ok}
          onClick={() => {
            if (!outcome.ok) return;
            navigator.clipboard.writeText(outcome.program).then(
              () => setCopied('Copied.'),
              () => setCopied('The clipboard refused: select the text and copy it.'),
            );
          }}
        >
          Copy
        </button>
        <button
          type="button"
          disabled={!outcome.ok}
          onClick={() => outcome.ok && downloadText(fileName, outcome.program)}
        >
          Download
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
        <span role="status">{copied}</span>
      </div>
    </Dialog>
  );
}

const statusWords: Record<CheckResult['status'], string> = {
  passed: '✓ passed',
  failed: '✗ failed',
  error: '✗ error',
  skipped: '– skipped',
};

/** Each step of the replayed conversation with its checks' results beside it. */
function ReplayResults({
  file,
  results,
  done,
}: {
  file: ConversationFile;
  results: readonly CheckResult[];
  done: ConversationResult[] | undefined;
}) {
  const conversation = file.conversations[0];
  if (!conversation) return null;
  const sent = sends(file, conversation);
  const numbers = conversation.steps.map((step, index) =>
    step.send ? conversation.steps.slice(0, index + 1).filter((s) => s.send).length : 0,
  );
  const passed = results.filter((r) => r.status === 'passed').length;
  const failed = results.filter((r) => r.status === 'failed' || r.status === 'error').length;
  return (
    <section className="conversation-replay" aria-label="Replay results">
      <h3>Replay {done ? 'finished' : 'running…'}</h3>
      <p role="status">
        {done ? `${passed} passed, ${failed} failed` : `${results.length} checks so far`}
        {done?.[0]?.target ? ` against ${done[0].target}` : ''}
        {done?.[0]?.error ? `: ${done[0].error}` : ''}
      </p>
      <ol className="conversation-steps">
        {conversation.steps.map((step, index) => {
          const number = numbers[index] ?? 0;
          const mine = results.filter((r) => r.step === number);
          return (
            <li key={index}>
              <div className="mono">
                {number === 0
                  ? 'what the server says first'
                  : `send "${formatEscapes(sent[number - 1] ?? new Uint8Array(0))}"`}
              </div>
              <ul className="conversation-results">
                {mine.map((result, i) => (
                  <li key={i} className={`is-${result.status}`}>
                    <span className="conversation-status">{statusWords[result.status]}</span> {result.name}{' '}
                    <span className="hint">({result.ms} ms)</span>
                    {result.status === 'failed' && (
                      <dl className="conversation-diff">
                        <dt>expected</dt>
                        <dd className="mono">
                          <Shown text={result.expected} />
                        </dd>
                        <dt>got</dt>
                        <dd className="mono">
                          <Shown text={result.got} />
                        </dd>
                      </dl>
                    )}
                    {result.message && <div className="hint">{result.message}</div>}
                  </li>
                ))}
              </ul>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/**
 * A check's expected or got: a quoted byte string (`"HELLO\n"`) is drawn as the transcript
 * draws bytes, CR and LF as named glyphs; anything else (a regex, a status) as written.
 */
function Shown({ text }: { text: string | undefined }) {
  if (text === undefined) return null;
  const quoted = /^"([\s\S]*)"$/.exec(text);
  const parsed = quoted?.[1] === undefined ? undefined : parseEscapes(quoted[1]);
  if (!parsed?.ok) return <>{text}</>;
  return (
    <span title={text}>
      <Segments segments={toVisibleSegments(parsed.bytes)} />
    </span>
  );
}
