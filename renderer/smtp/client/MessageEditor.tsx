import { useId, useMemo, useState } from 'react';
import { formatByteCount } from '../../../shared/bytes';
import { buildStep, lintMessageStep, type SmtpStep } from '../../../shared/smtp';
import { CheckboxField, TextField } from '../../net/fields';
import type { ConversationModel } from './model';
import {
  type DraftField,
  draftFieldLabels,
  isDraftStale,
  isTypedInRaw,
  type MessageDraft,
  messageEditModeLabels,
  messageEditModes,
} from './messageDraft';

const headerFields = ['from', 'to', 'cc', 'subject', 'date', 'messageId'] as const;

/** Characters of built source shown in an editable box; beyond it (big attachments) a preview is enough. */
const largeSource = 256 * 1024;

/**
 * The DATA step's content. Compose: headers, body and attachments, turned into
 * MIME source by the Node side (nodemailer's MailComposer) and shown raw before
 * it is sent. Raw: the bytes after DATA typed by hand. Either way the linter says
 * what a server may refuse, and dot-stuffing and the final CRLF.CRLF are listed;
 * sending anyway is allowed.
 */
export function MessageEditor(props: {
  model: ConversationModel;
  step: SmtpStep;
  draft: MessageDraft;
  eightBitMime: boolean;
}) {
  const { model, step, draft } = props;
  const id = useId();
  const [building, setBuilding] = useState(false);
  const lint = useMemo(() => lintMessageStep(step, { eightBitMime: props.eightBitMime }), [step, props.eightBitMime]);
  const built = useMemo(() => buildStep(step), [step]);
  const stale = isDraftStale(draft);
  const typedInRaw = isTypedInRaw(draft, step.text);
  const compose = draft.mode === 'compose';

  const build = async () => {
    setBuilding(true);
    try {
      await model.buildMessage(step.id);
    } finally {
      setBuilding(false);
    }
  };

  const attach = async (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      const content = new Uint8Array(await file.arrayBuffer());
      if (model.attach(step.id, { name: file.name, type: file.type, content })) break;
    }
  };

  return (
    <div className="smtp-message">
      <fieldset className="segmented smtp-message-mode">
        <legend>Write the message</legend>
        {messageEditModes.map((mode) => (
          <label key={mode}>
            <input
              type="radio"
              name={`${id}-mode`}
              value={mode}
              checked={draft.mode === mode}
              onChange={() => model.setMessageMode(step.id, mode)}
            />
            {messageEditModeLabels[mode]}
          </label>
        ))}
      </fieldset>

      {compose && (
        <div className="smtp-compose">
          <div className="smtp-headers">
            {headerFields.map((field) => (
              <TextField
                key={field}
                label={draftFieldLabels[field]}
                value={draft[field]}
                onChange={(value) => model.editDraft(step.id, field as DraftField, value)}
                hint={field === 'to' || field === 'cc' ? 'several: separate with commas' : undefined}
              />
            ))}
          </div>
          <div className="field">
            <label htmlFor={`${id}-body`}>Body</label>
            <textarea
              id={`${id}-body`}
              rows={4}
              value={draft.body}
              spellCheck={false}
              onChange={(event) => model.editDraft(step.id, 'body', event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-html`}>HTML body (optional)</label>
            <textarea
              id={`${id}-html`}
              rows={2}
              value={draft.html}
              spellCheck={false}
              placeholder="<p>Do you like <b>ketchup</b>?</p>"
              onChange={(event) => model.editDraft(step.id, 'html', event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-file`}>Attach files</label>
            <input id={`${id}-file`} type="file" multiple onChange={(event) => void attach(event.target.files)} />
          </div>
          {draft.attachments.length > 0 && (
            <ul className="smtp-attachments" aria-label="Attachments">
              {draft.attachments.map((attachment) => (
                <li key={attachment.id}>
                  <span className="mono">{attachment.filename}</span> ({attachment.contentType},{' '}
                  {formatByteCount(attachment.content.length)})
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => model.detach(step.id, attachment.id)}
                    aria-label={`Remove attachment ${attachment.filename}`}
                  >
                    Remove
                  </button>
                </li>
              ))}
            </ul>
          )}
          <div className="actions">
            <button type="button" onClick={() => void build()} disabled={building}>
              Build MIME source
            </button>
            <span className="action-hint">{building ? 'Building…' : buildHint(draft, stale, typedInRaw)}</span>
          </div>
        </div>
      )}

      {compose && step.text.length > largeSource ? (
        <div className="field">
          <span className="smtp-source-label" id={`${id}-source`}>
            MIME source (built; {formatByteCount(step.text.length)}, the first {formatByteCount(largeSource)} shown)
          </span>
          <pre className="smtp-bytes smtp-source" aria-labelledby={`${id}-source`}>
            {step.text.slice(0, largeSource)}…
          </pre>
        </div>
      ) : (
        <div className="field">
          <label htmlFor={`${id}-raw`}>
            {!compose
              ? 'Message as typed (raw)'
              : typedInRaw
                ? 'Text from Raw, not built yet (read-only here)'
                : 'MIME source (built, read-only here)'}
          </label>
          <textarea
            id={`${id}-raw`}
            className="smtp-raw"
            rows={compose ? 8 : 4}
            value={step.text}
            readOnly={compose}
            spellCheck={false}
            onChange={(event) => model.editStep(step.id, { text: event.target.value })}
          />
          {compose && <span className="field-hint">To change these bytes by hand, switch to Raw.</span>}
          {!compose && draft.replacedText !== undefined && draft.replacedText !== step.text && (
            <p className="field-hint">
              A build replaced the text that was here.{' '}
              <button type="button" className="link-button" onClick={() => model.restoreTypedText(step.id)}>
                Restore the text from before the build
              </button>
            </p>
          )}
        </div>
      )}
      <div className="field-row smtp-message-options">
        <CheckboxField
          label="Send line breaks as typed (a bare LF instead of CRLF)"
          checked={step.keepLineEndings ?? false}
          onChange={(keepLineEndings) => model.editStep(step.id, { keepLineEndings })}
        />
        <CheckboxField
          label="Dot-stuffing (a line starting with “.” gets one more)"
          checked={step.dotStuffing ?? true}
          onChange={(dotStuffing) => model.editStep(step.id, { dotStuffing })}
        />
        <CheckboxField
          label="End with CRLF . CRLF"
          checked={step.finalDot ?? true}
          onChange={(finalDot) => model.editStep(step.id, { finalDot })}
        />
      </div>
      {built.ok && built.stuffing && (
        <ul className="smtp-stuffing" aria-label="What sending changes">
          {built.stuffing.changes.map((change) => (
            <li key={change}>{change}</li>
          ))}
          {built.warnings
            .filter((warning) => !built.stuffing?.changes.includes(warning))
            .map((warning) => (
              <li key={warning} className="is-warn">
                {warning}
              </li>
            ))}
        </ul>
      )}
      {lint.issues.length > 0 && (
        <ul className="smtp-lint" aria-label="Message check">
          {lint.issues.map((issue) => (
            <li key={`${issue.kind}-${issue.offset}`} className={`is-${issue.severity}`}>
              <span className="smtp-lint-where">
                line {issue.line}, column {issue.column}
              </span>{' '}
              {issue.message}
            </li>
          ))}
          {Object.entries(lint.omitted).map(([kind, more]) => (
            <li key={kind}>
              … and {more} more ({kind})
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** What Build will do, and what sending will send, said beside the Build button. */
function buildHint(draft: MessageDraft, stale: boolean, typedInRaw: boolean): string {
  const keeps = 'Raw keeps that text to restore.';
  if (!stale) {
    return typedInRaw
      ? `The text below, changed in Raw, is what goes after DATA; Build replaces it with the source. ${keeps}`
      : 'The source below is what goes after DATA.';
  }
  if (draft.builtVersion === undefined) {
    return typedInRaw
      ? `Not built yet: Build (or sending) replaces the text below with the MIME source. ${keeps}`
      : 'Not built yet: Build shows the source here; sending builds it too.';
  }
  return typedInRaw
    ? `The fields changed since the last build, and the text below was changed in Raw: sending builds the source again and replaces it. ${keeps}`
    : 'The fields changed since the source below was built: sending builds it again.';
}
