import { useEffect, useId, useMemo, useState } from 'react';
import { formatByteCount, toVisibleSegments } from '../../../shared/bytes';
import type { MailAttachment, MailMessage } from '../../../shared/smtp/server/contract';
import { HtmlPreview } from '../../http/client/response/HtmlPreview';
import { ChooseFolderButton } from '../../net/ChooseFolderButton';
import { CreateFolderOffer } from '../../net/CreateFolderOffer';
import { ErrorText, TextField } from '../../net/fields';
import { formatSocketAddress } from '../../net/format';
import { useStore } from '../../net/useStore';
import { Segments } from '../../transcript/ByteView';
import type { InboxModel } from './inbox';

/** Raw source and text shown before "Show all": a 10 MB message must not freeze the page. */
const previewBytes = 64 * 1024;
const previewChars = 64 * 1024;

/** The message chosen in the Inbox: envelope, headers, text, HTML (sandboxed), attachments, raw source. */
export function InboxMessage({ model }: { model: InboxModel }) {
  const state = useStore(model);
  const { open } = state;
  if (open.phase === 'closed') return null;
  if (open.phase === 'loading') {
    return (
      <p className="inbox-loading" role="status">
        Opening message {open.messageId}…
      </p>
    );
  }
  if (open.phase === 'failed') return <ErrorText error={open.error} />;
  return <MessageView message={open.message} model={model} />;
}

function MessageView({ message, model }: { message: MailMessage; model: InboxModel }) {
  const state = useStore(model);
  const headingId = useId();
  const { envelope } = message;
  return (
    <section className="mail-message" aria-labelledby={headingId}>
      <div className="panel-head">
        <h3 id={headingId}>Message {message.messageId}</h3>
        <span className="action-hint">{message.subject || '(no subject)'}</span>
        <button type="button" className="link-button" onClick={() => model.close()}>
          Close message
        </button>
      </div>

      <h4>Envelope</h4>
      <p className="field-hint">What the client said in the SMTP commands: this, not the headers, decides delivery.</p>
      <dl className="mail-facts">
        <dt>MAIL FROM</dt>
        <dd className="mono">&lt;{envelope.mailFrom}&gt;</dd>
        <dt>RCPT TO</dt>
        <dd className="mono">{envelope.rcptTo.map((to) => `<${to}>`).join(', ')}</dd>
        <dt>HELO/EHLO name</dt>
        <dd className="mono">{envelope.heloName || '(none)'}</dd>
        <dt>Client</dt>
        <dd className="mono">{formatSocketAddress(envelope.client)}</dd>
        <dt>Security</dt>
        <dd>
          {envelope.secure ? 'TLS (after STARTTLS)' : 'plain text'}
          {envelope.user ? `, authenticated as “${envelope.user}”` : ''}
        </dd>
        <dt>Size</dt>
        <dd>{formatByteCount(message.size)}</dd>
        {message.savedAs && (
          <>
            <dt>Saved as</dt>
            <dd className="mono">{message.savedAs}</dd>
          </>
        )}
      </dl>

      {message.parseError && (
        <p className="warning" role="note">
          {message.parseError}
        </p>
      )}

      {message.headers.length > 0 && (
        <>
          <h4>Headers</h4>
          <table className="mail-headers" aria-label="Headers in the order received">
            <tbody>
              {message.headers.map((header, index) => (
                // Headers repeat (Received), so the position is part of the key.
                <tr key={`${index}-${header.name}`}>
                  <th scope="row">{header.name}</th>
                  <td className="mono">
                    {header.value}
                    {header.decoded !== undefined && (
                      <span className="mail-header-decoded">decoded: {header.decoded}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      {message.text !== undefined && (
        <>
          <h4>Text</h4>
          <LongText text={message.text} />
        </>
      )}

      {message.html !== undefined && (
        <>
          <h4>HTML</h4>
          <HtmlPreview html={message.html} title={`HTML body of message ${message.messageId}`} />
        </>
      )}

      {message.attachments.length > 0 && (
        <>
          <h4>Attachments</h4>
          <ul className="mail-attachments">
            {message.attachments.map((attachment, index) => (
              <AttachmentLink key={`${index}-${attachment.filename ?? ''}`} attachment={attachment} index={index} />
            ))}
          </ul>
        </>
      )}

      <h4>Raw source</h4>
      <RawSource raw={message.raw} />

      <div className="field-row mail-save">
        <TextField
          label="Save as .eml in folder"
          className="field-grow"
          value={state.saveFolder}
          placeholder="~/mail"
          onChange={(folder) => model.setSaveFolder(folder)}
          onEnter={() => void model.save()}
          error={state.errors.save}
          action={
            model.folders && <ChooseFolderButton chooser={model.folders} onChoose={() => void model.chooseFolder()} />
          }
        />
        <button type="button" onClick={() => void model.save()}>
          Save .eml
        </button>
      </div>
      <CreateFolderOffer error={state.errors.save} folder={state.saveFolder} onCreated={() => void model.save()} />
      {state.saved?.messageId === message.messageId && (
        <p className="action-hint" role="status">
          Saved as <span className="mono">{state.saved.path}</span>
        </p>
      )}
    </section>
  );
}

function LongText({ text }: { text: string }) {
  const [all, setAll] = useState(false);
  const shown = all || text.length <= previewChars ? text : text.slice(0, previewChars);
  return (
    <>
      <pre className="mail-text">{shown}</pre>
      {shown.length < text.length && (
        <button type="button" className="link-button" onClick={() => setAll(true)}>
          Show all {text.length.toLocaleString('en-US')} characters
        </button>
      )}
    </>
  );
}

/** The message's bytes with CR, LF and TAB drawn, as they were received (after dot-unstuffing). */
function RawSource({ raw }: { raw: Uint8Array }) {
  const [all, setAll] = useState(false);
  const cut = all ? raw.byteLength : Math.min(raw.byteLength, previewBytes);
  const segments = useMemo(() => toVisibleSegments(raw.subarray(0, cut)), [raw, cut]);
  return (
    <>
      <pre className="mail-raw" aria-label="Raw source">
        <Segments segments={segments} />
      </pre>
      {cut < raw.byteLength && (
        <p className="field-hint">
          First {formatByteCount(cut)} of {formatByteCount(raw.byteLength)} shown.{' '}
          <button type="button" className="link-button" onClick={() => setAll(true)}>
            Show all (slow for a big message)
          </button>
        </p>
      )}
    </>
  );
}

/** A download link to one attachment's bytes (a blob: URL made while it is shown). */
function AttachmentLink({ attachment, index }: { attachment: MailAttachment; index: number }) {
  const [url, setUrl] = useState<string | undefined>();
  useEffect(() => {
    const made = URL.createObjectURL(
      new Blob([attachment.data as Uint8Array<ArrayBuffer>], { type: attachment.contentType }),
    );
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [attachment]);
  const name = attachment.filename ?? `attachment-${index + 1}`;
  return (
    <li>
      {url ? (
        <a href={url} download={name}>
          {name}
        </a>
      ) : (
        name
      )}{' '}
      <span className="action-hint">
        {attachment.contentType}, {formatByteCount(attachment.size)}
        {attachment.disposition === 'inline' ? ', inline' : ''}
      </span>
    </li>
  );
}
