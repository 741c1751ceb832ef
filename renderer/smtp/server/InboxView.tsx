import { useId } from 'react';
import { formatByteCount } from '../../../shared/bytes';
import { clockTime } from '../../app/format';
import type { MailSummary } from '../../../shared/smtp/server/contract';
import { ErrorText } from '../../net/fields';
import { plural } from '../../net/format';
import { useStore } from '../../net/useStore';
import { InboxMessage } from './InboxMessage';
import { type InboxModel, inboxLimitNote } from './inbox';

/** The messages the server accepted, newest first; choosing one opens it below the list. */
export function InboxView(props: {
  model: InboxModel;
  limit: { messages: number; bytes: number } | undefined;
  running: boolean;
}) {
  const { model } = props;
  const state = useStore(model);
  const headingId = useId();
  const openId =
    state.open.phase === 'open'
      ? state.open.message.messageId
      : state.open.phase === 'closed'
        ? undefined
        : state.open.messageId;
  return (
    <div className="inbox">
      <div className="inbox-head">
        <h3 id={headingId}>Inbox</h3>
        <span className="action-hint">
          {plural(state.messages.length, 'message')}
          {state.messages.length > 0 ? `, ${formatByteCount(state.inboxBytes)}` : ''}
        </span>
        {state.messages.length > 0 && (
          <button type="button" className="link-button" onClick={() => void model.clear()}>
            Clear inbox
          </button>
        )}
      </div>
      <ErrorText error={state.errors.clear} />
      {props.limit && <p className="field-hint">{inboxLimitNote(props.limit)}</p>}
      {state.messages.length === 0 && (
        <p className="inbox-empty">
          {props.running
            ? 'No mail yet. Send one with the conversation builder: after the final “.” and the 250, it appears here.'
            : 'Start the server; the mail it accepts appears here.'}
        </p>
      )}
      <ul aria-label="Inbox" className="inbox-list">
        {state.messages.map((summary) => (
          <InboxItem
            key={summary.messageId}
            summary={summary}
            open={summary.messageId === openId}
            onOpen={() => void model.open(summary.messageId)}
          />
        ))}
      </ul>
      <InboxMessage model={model} />
    </div>
  );
}

function InboxItem(props: { summary: MailSummary; open: boolean; onOpen: () => void }) {
  const { summary } = props;
  const time = clockTime(summary.received.at);
  return (
    <li className={props.open ? 'is-open' : undefined}>
      <button type="button" aria-current={props.open ? 'true' : undefined} onClick={props.onOpen}>
        <span className="inbox-from">{summary.from || '(no sender)'}</span>
        <span className="inbox-subject">{summary.subject || '(no subject)'}</span>
        <span className="inbox-meta">
          {time} · {formatByteCount(summary.size)}
          {summary.attachments > 0 ? ` · ${plural(summary.attachments, 'attachment')}` : ''}
          {summary.envelope.secure ? ' · TLS' : ''}
        </span>
      </button>
    </li>
  );
}
