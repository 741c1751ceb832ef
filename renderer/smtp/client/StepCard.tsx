import { Fragment, type KeyboardEvent, memo, useId, useMemo, useState } from 'react';
import { formatByteCount, lineEndings, toVisibleSegments } from '../../../shared/bytes';
import type { TlsCertificate } from '../../../shared/net/contract';
import { type BuiltLine, buildStep, type SmtpStep, stepTitles } from '../../../shared/smtp';
import { lineEndingLabels } from '../../net/composer';
import { Countdown } from '../../net/Countdown';
import type { ControlError } from '../../net/errors';
import { ErrorText, SelectField, TextField } from '../../net/fields';
import { SecondsField } from '../../net/TargetFields';
import { Segments } from '../../transcript/ByteView';
import type { ConversationModel } from './model';
import { MessageEditor } from './MessageEditor';
import type { MessageDraft } from './messageDraft';
import { ReplyBlock } from './ReplyBlock';
import { revealReply } from './reveal';
import { hideSecret } from './sending';
import type { StepRun, StepWait } from './state';

/** Bytes of a step shown before "show all": a message with a big attachment must not freeze the page. */
const previewBytes = 3000;

const statusLabels: Record<StepRun['status'], string> = {
  sending: 'waiting for the reply',
  ok: 'done',
  sent: 'sent (no reply expected)',
  negative: 'refused',
  failed: 'failed',
  cancelled: 'cancelled',
};

interface StepCardProps {
  model: ConversationModel;
  step: SmtpStep;
  index: number;
  count: number;
  run: StepRun | undefined;
  isNext: boolean;
  error: ControlError | undefined;
  draft: MessageDraft | undefined;
  eightBitMime: boolean;
  /** Connected and no step waiting: "Send this step" works. */
  canSend: boolean;
  /** This step is waiting for its reply (with the countdown); it cannot be removed meanwhile. */
  wait: StepWait | undefined;
  /** The step's own reply deadline as typed ('' = the common one). */
  deadline: string;
  defaultDeadline: string;
}

/**
 * One step of the conversation: what the user types for it, exactly the bytes it
 * sends (CR and LF visible; AUTH's base64 decoded beside it), and once sent, the
 * reply with its meaning. Alt+↑ / Alt+↓ move it; buttons do the same.
 */
export const StepCard = memo(function StepCard(props: StepCardProps) {
  const { model, step, index, count, run } = props;
  const headingId = useId();
  const title = stepTitles[step.kind];
  const name = `${index + 1}. ${title}`;
  const built = useMemo(() => buildStep(step), [step]);
  const [showSecret, setShowSecret] = useState(false);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    event.preventDefault();
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement : event.currentTarget;
    model.moveStep(step.id, event.key === 'ArrowUp' ? -1 : 1);
    // Moving the card in the DOM can drop the focus: put it back where it was.
    requestAnimationFrame(() => {
      focused.focus();
      focused.scrollIntoView({ block: 'nearest' });
    });
  };

  const classes = [
    'smtp-step',
    props.isNext ? 'is-next' : '',
    run ? `is-${run.status}` : '',
    run?.insideTls ? 'is-tls' : '',
  ]
    .filter(Boolean)
    .join(' ');

  return (
    // The card takes Alt+arrow keys to move; being focusable lets the keyboard reach it.
    <li className={classes} data-step={step.id} aria-labelledby={headingId} tabIndex={-1} onKeyDown={onKeyDown}>
      <div className="smtp-step-head">
        <h3 id={headingId}>{name}</h3>
        {props.isNext && <span className="smtp-badge is-next">next</span>}
        {run?.insideTls && (
          <span className="smtp-badge is-tls" title="These bytes went over TLS">
            inside TLS
          </span>
        )}
        {run && <span className={`smtp-badge is-${run.status}`}>{statusLabels[run.status]}</span>}
        <span className="smtp-step-tools">
          <button
            type="button"
            onClick={(event) => {
              const card = event.currentTarget.closest('ol');
              void model.sendStep(step.id).then(() => revealReply(card, step.id));
            }}
            disabled={!props.canSend}
            aria-label={`Send this step: ${name}`}
            title="Send this step now, in order or not"
          >
            Send this step
          </button>
          <button
            type="button"
            onClick={() => model.moveStep(step.id, -1)}
            disabled={index === 0}
            aria-label={`Move ${name} up`}
            title="Move up (Alt+↑)"
          >
            ↑
          </button>
          <button
            type="button"
            onClick={() => model.moveStep(step.id, 1)}
            disabled={index === count - 1}
            aria-label={`Move ${name} down`}
            title="Move down (Alt+↓)"
          >
            ↓
          </button>
          <button
            type="button"
            onClick={() => model.removeStep(step.id)}
            disabled={props.wait !== undefined}
            aria-label={`Remove ${name}`}
            title="Remove this step"
          >
            ✕
          </button>
        </span>
      </div>
      <div className="smtp-step-body">
        <StepFields model={model} step={step} name={name} />
        <SecondsField
          label="Deadline (s)"
          className="smtp-step-deadline"
          value={props.deadline}
          placeholder={props.defaultDeadline}
          onChange={(seconds) => model.setStepDeadline(step.id, seconds)}
          hint={<span className="visually-hidden">for the reply to {name}; empty: the common reply deadline</span>}
        />
      </div>
      {step.kind === 'message' && props.draft && (
        <MessageEditor model={model} step={step} draft={props.draft} eightBitMime={props.eightBitMime} />
      )}
      <ErrorText error={props.error} />
      {built.ok ? (
        <SentBytes
          lines={run?.lines.length ? run.lines : built.lines}
          label={run?.lines.length ? 'Sent' : 'Will send'}
          showSecret={showSecret}
          onToggleSecret={() => setShowSecret((shown) => !shown)}
        />
      ) : (
        <p className="control-error">{built.message}</p>
      )}
      {built.ok && step.kind !== 'message' && built.warnings.length > 0 && (
        <ul className="smtp-warnings">
          {built.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
      {props.wait && (
        <Countdown
          label={`Waiting for the reply to ${props.wait.what}…`}
          wait={props.wait}
          onCancel={() => void model.cancelStep()}
        />
      )}
      {run && <RunResult run={run} />}
    </li>
  );
});

function StepFields({ model, step, name }: { model: ConversationModel; step: SmtpStep; name: string }) {
  const edit = (text: string) => model.editStep(step.id, { text });
  switch (step.kind) {
    case 'helo':
    case 'ehlo':
      return <TextField label={`Your domain (${name})`} value={step.text} onChange={edit} className="field-grow" />;
    case 'mail':
      return <TextField label={`Sender address (${name})`} value={step.text} onChange={edit} />;
    case 'rcpt':
      return <TextField label={`Recipient address (${name})`} value={step.text} onChange={edit} />;
    case 'vrfy':
      return <TextField label={`Name or address (${name})`} value={step.text} onChange={edit} />;
    case 'help':
    case 'noop':
      return <TextField label={`Argument, optional (${name})`} value={step.text} onChange={edit} />;
    case 'auth-plain':
    case 'auth-login':
      return (
        <div className="field-row">
          <TextField label={`User name (${name})`} value={step.text} onChange={edit} className="field-grow" />
          <TextField
            label={`Password (${name})`}
            value={step.password ?? ''}
            onChange={(password) => model.editStep(step.id, { password })}
            className="field-grow"
          />
        </div>
      );
    case 'free':
      return (
        <div className="field-row">
          <TextField label={`Line (${name})`} value={step.text} onChange={edit} className="field-grow" />
          <SelectField
            label="Type as"
            value={step.inputMode ?? 'text'}
            options={['text', 'escapes'] as const}
            labels={{ text: 'Text as typed', escapes: 'Text with escapes (\\r \\n \\xNN)' }}
            onChange={(inputMode) => model.editStep(step.id, { inputMode })}
          />
          <SelectField
            label="Line ending"
            value={step.lineEnding ?? 'crlf'}
            options={lineEndings}
            labels={lineEndingLabels}
            onChange={(lineEnding) => model.editStep(step.id, { lineEnding })}
          />
        </div>
      );
    default:
      return null;
  }
}

function SentBytes(props: {
  lines: readonly Pick<BuiltLine, 'bytes' | 'decoded' | 'secret'>[];
  label: string;
  showSecret: boolean;
  onToggleSecret: () => void;
}) {
  const [all, setAll] = useState(false);
  const hasSecret = props.lines.some((line) => line.secret && line.decoded !== undefined);
  return (
    <div className="smtp-sent">
      <span className="smtp-sent-label">{props.label}:</span>
      {props.lines.map((line, index) => {
        const cut = !all && line.bytes.length > previewBytes;
        const shown = cut ? line.bytes.subarray(0, previewBytes) : line.bytes;
        return (
          // Lines of one step never move.
          <div key={index} className="smtp-sent-line">
            <pre className="smtp-bytes">
              <Segments segments={toVisibleSegments(shown)} />
              {cut && <span className="smtp-more">… {formatByteCount(line.bytes.length - previewBytes)} more</span>}
            </pre>
            {line.decoded !== undefined && (
              <span className="smtp-decoded">
                base64 of{' '}
                <DecodedText text={line.secret && !props.showSecret ? hideSecret(line.decoded) : line.decoded} />
              </span>
            )}
            {cut && (
              <button type="button" className="link-button" onClick={() => setAll(true)}>
                Show all {formatByteCount(line.bytes.length)}
              </button>
            )}
          </div>
        );
      })}
      {hasSecret && (
        <button type="button" className="link-button" onClick={props.onToggleSecret}>
          {props.showSecret ? 'Hide the password' : 'Show the password decoded'}
        </button>
      )}
    </div>
  );
}

function RunResult({ run }: { run: StepRun }) {
  return (
    <div className="smtp-run">
      {run.warnings.length > 0 && (
        <ul className="smtp-warnings">
          {run.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
      {run.outOfOrder && run.replies.every((reply) => reply.note === null) && (
        <p className="smtp-order-note" role="note">
          Out of order: {run.outOfOrder}
        </p>
      )}
      {run.replies.map((reply, index) => (
        <ReplyBlock key={index} reply={reply} label={run.replies.length > 1 ? `reply ${index + 1}` : undefined} />
      ))}
      {run.certificate && <CertificateFacts certificate={run.certificate} />}
      <ErrorText error={run.error} />
    </div>
  );
}

/** The server's certificate, as the TLS handshake showed it. */
export function CertificateFacts({ certificate }: { certificate: TlsCertificate }) {
  return (
    <dl className="facts smtp-certificate" aria-label="Server certificate">
      <div>
        <dt>Certificate for</dt>
        <dd className="mono">{certificate.subject}</dd>
      </div>
      <div>
        <dt>Issued by</dt>
        <dd className="mono">{certificate.selfSigned ? 'itself (self-signed)' : certificate.issuer}</dd>
      </div>
      <div>
        <dt>Valid</dt>
        <dd>
          {certificate.validFrom} – {certificate.validTo}
        </dd>
      </div>
      <div>
        <dt>Trusted</dt>
        <dd>{certificate.authorized ? 'yes' : `no (${certificate.authorizationError ?? 'not by this computer'})`}</dd>
      </div>
      {certificate.protocol && (
        <div>
          <dt>Protocol</dt>
          <dd className="mono">{[certificate.protocol, certificate.cipher].filter(Boolean).join(' ')}</dd>
        </div>
      )}
      <div>
        <dt>SHA-256</dt>
        <dd className="mono smtp-fingerprint">{certificate.fingerprint256}</dd>
      </div>
    </dl>
  );
}

/** AUTH's decoded text with NUL drawn as a named marker, like the byte views (fonts often lack ␀). */
function DecodedText({ text }: { text: string }) {
  const parts = text.split('␀');
  return (
    <code>
      {parts.map((part, index) => (
        <Fragment key={index}>
          {index > 0 && (
            <abbr className="glyph glyph-control" title="NUL (0x00): separates the parts of AUTH PLAIN">
              NUL
            </abbr>
          )}
          {part}
        </Fragment>
      ))}
    </code>
  );
}
