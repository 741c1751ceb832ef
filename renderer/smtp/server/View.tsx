import { useId } from 'react';
import { formatByteCount } from '../../../shared/bytes';
import type { MailServerCounters } from '../../../shared/smtp/server/contract';
import { ChooseFolderButton } from '../../net/ChooseFolderButton';
import { CreateFolderOffer } from '../../net/CreateFolderOffer';
import { CheckboxField, ErrorText, TextField } from '../../net/fields';
import { LinkBadge, LinkFields } from '../../net/LinkFields';
import { ListeningOn, ListenFields, ServerCounters, ServerHeading, StartStop } from '../../net/ServerControls';
import { SecondsField } from '../../net/TargetFields';
import { useStore } from '../../net/useStore';
import { TranscriptView } from '../../transcript/TranscriptView';
import { InboxView } from './InboxView';
import type { MailServerModel } from './model';
import './mailServer.css';

/**
 * The built-in mail server: a region named "Mail server" with its Port, the teacher's
 * options, Start/Stop, the "Server log" (the session from the server's side, CR and LF
 * visible) and the "Inbox". The model lives outside React (see model.ts).
 */
export function MailServerPanel({ model }: { model: MailServerModel }) {
  const state = useStore(model);
  const options = useStore(model.options);
  const run = useStore(model.run);
  const headingId = useId();
  const locked = state.phase !== 'stopped';
  const running = state.phase === 'running';
  const errors = options.errors;
  return (
    <section className="panel server-panel mail-server-panel" aria-labelledby={headingId}>
      <ServerHeading id={headingId} title="Mail server" phase={state.phase}>
        <LinkBadge model={model.link} />
      </ServerHeading>
      <p className="panel-intro">
        A mail server of your own to talk to: it greets, answers every command, and keeps the mail it accepts in the
        Inbox below. It is a sink: it never passes mail on to anyone.
      </p>
      <ListenFields model={model} state={state} />

      <details className="mail-options">
        <summary>Options{optionSummary(options)}</summary>
        <TextField
          label="Server name"
          value={options.hostname}
          onChange={(hostname) => model.options.update({ hostname })}
          disabled={locked}
          error={errors.hostname}
          hint="Said in the greeting: 220 hamburger.edu ESMTP."
        />
        <CheckboxField
          label="Offer STARTTLS (a certificate is made on the spot)"
          checked={options.startTls}
          onChange={(startTls) => model.options.update({ startTls })}
          disabled={locked}
        />
        <CheckboxField
          label="Require AUTH (PLAIN or LOGIN) before MAIL FROM"
          checked={options.requireAuth}
          onChange={(requireAuth) => model.options.update({ requireAuth })}
          disabled={locked}
        />
        {options.requireAuth && (
          <div className="mail-option-group">
            <div className="field-row">
              <TextField
                label="AUTH user"
                className="field-grow"
                value={options.authUser}
                onChange={(authUser) => model.options.update({ authUser })}
                disabled={locked}
                error={errors.authUser}
              />
              <TextField
                label="AUTH password"
                className="field-grow"
                value={options.authPassword}
                onChange={(authPassword) => model.options.update({ authPassword })}
                disabled={locked}
                error={errors.authPassword}
              />
            </div>
            <p className="field-hint">
              This server accepts AUTH without TLS so you can watch it on this computer. The password then crosses the
              network only base64-encoded, which anyone can decode: real servers refuse AUTH before STARTTLS.
            </p>
          </div>
        )}
        <div className="field">
          <label htmlFor={`${headingId}-reject`}>Reject recipients (550)</label>
          <textarea
            id={`${headingId}-reject`}
            rows={2}
            spellCheck={false}
            value={options.rejectRecipients}
            placeholder="bob@hamburger.edu, carol@hamburger.edu"
            disabled={locked}
            aria-describedby={`${headingId}-reject-hint`}
            onChange={(event) => model.options.update({ rejectRecipients: event.target.value })}
          />
          <span id={`${headingId}-reject-hint`} className="field-hint">
            RCPT TO one of these gets 550; other recipients are accepted.
          </span>
        </div>
        <div className="field-row">
          <CheckboxField
            label="Size limit"
            checked={options.limitSize}
            onChange={(limitSize) => model.options.update({ limitSize })}
            disabled={locked}
          />
          {options.limitSize && (
            <TextField
              label="Size limit (bytes)"
              className="field-grow"
              inputMode="numeric"
              value={options.maxMessageBytes}
              onChange={(maxMessageBytes) => model.options.update({ maxMessageBytes })}
              disabled={locked}
              error={errors.maxMessageBytes}
              hint="Advertised as SIZE after EHLO; a larger message gets 552."
            />
          )}
        </div>
        <SecondsField
          label="DATA reply delay (seconds)"
          value={options.dataDelay}
          onChange={(dataDelay) => model.options.update({ dataDelay })}
          disabled={locked}
          error={errors.dataDelay}
          hint="Wait this long after the final “.” before the 250: a slow server, to try the client's deadline."
        />
        <SecondsField
          label="Idle timeout (seconds)"
          value={options.idleTimeout}
          onChange={(idleTimeout) => model.options.update({ idleTimeout })}
          disabled={locked}
          error={errors.idleTimeout}
          hint="A client silent this long gets 421 and is disconnected, as real servers do."
        />
        <CheckboxField
          label="Save each message as an .eml file"
          checked={options.saveToFolder}
          onChange={(saveToFolder) => model.options.update({ saveToFolder })}
          disabled={locked}
        />
        {options.saveToFolder && (
          <TextField
            label="Save folder"
            value={options.saveFolder}
            placeholder="~/mail"
            onChange={(saveFolder) => model.options.update({ saveFolder })}
            disabled={locked}
            error={errors.saveFolder}
            hint="The full path of an existing folder. Each file is written whole, then renamed into place: a message cut off while arriving is never saved."
            action={
              model.folders && (
                <ChooseFolderButton
                  chooser={model.folders}
                  onChoose={() => void model.chooseSaveFolder()}
                  disabled={locked}
                />
              )
            }
          />
        )}
        {options.saveToFolder && !locked && (
          <CreateFolderOffer
            error={errors.saveFolder ?? state.errors.start}
            folder={options.saveFolder}
            onCreated={() => void model.start()}
          />
        )}
      </details>

      <LinkFields model={model.link} protocol="TCP" />
      <StartStop
        model={model}
        state={state}
        allInterfacesNote="other machines on the network will be able to send mail to this server. Stop it when the lab is over."
      >
        <ListeningOn local={state.local} />
      </StartStop>
      <ErrorText error={state.errors.start} />
      <ErrorText error={state.errors.stop} />
      {running && run.certificate && (
        <div className="mail-certificate">
          <p>
            <strong>STARTTLS certificate</strong> (made on the spot, self-signed: a client must be told to trust it).
          </p>
          <dl>
            <dt>Subject</dt>
            <dd className="mono">{run.certificate.subject}</dd>
            <dt>SHA-256 fingerprint</dt>
            <dd className="mono">{run.certificate.fingerprint256}</dd>
            <dt>Valid until</dt>
            <dd>{run.certificate.validTo}</dd>
          </dl>
        </div>
      )}
      {running && run.saveFolder && (
        <p className="action-hint">
          Saving each message in <span className="mono">{run.saveFolder}</span>
        </p>
      )}
      {state.counters && <ServerCounters rows={counterRows(state.counters)} />}
      <TranscriptView
        model={model.log}
        label="Server log"
        emptyText="Start the server: every connection, every line a client sends (C:) and every reply (S:) appear here."
      />
      <InboxView model={model.inbox} limit={run.inboxLimit} running={running} />
    </section>
  );
}

function optionSummary(options: {
  startTls: boolean;
  requireAuth: boolean;
  rejectRecipients: string;
  limitSize: boolean;
  dataDelay: string;
  saveToFolder: boolean;
}): string {
  const on = [
    options.startTls && 'STARTTLS',
    options.requireAuth && 'AUTH required',
    options.rejectRecipients.trim() !== '' && 'rejects recipients',
    options.limitSize && 'size limit',
    Number(options.dataDelay.replace(',', '.')) > 0 && 'DATA delay',
    options.saveToFolder && 'saves .eml',
  ].filter(Boolean);
  return on.length > 0 ? `: ${on.join(', ')}` : '';
}

function counterRows(counters: MailServerCounters): ReadonlyArray<readonly [string, string]> {
  return [
    ['Connections', `${counters.connectionsOpen} open / ${counters.connectionsAccepted} in all`],
    ['Messages accepted', String(counters.messagesAccepted)],
    ['Refused', String(counters.messagesRejected)],
    ['Cut off', String(counters.messagesAbandoned)],
    ['Received', formatByteCount(counters.bytesReceived)],
    ['Replied', formatByteCount(counters.bytesReplied)],
  ];
}
