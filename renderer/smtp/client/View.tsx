import { useId, useMemo, useState } from 'react';
import type { SocketAddress } from '../../../shared/net/contract';
import { describeAwaiting, phaseInfo, type SmtpStepKind, smtpStepKinds, stepTitles } from '../../../shared/smtp';
import { ConnectButton, usePanelFocus } from '../../net/ClientPanel';
import { CheckboxField, ErrorText, SelectField } from '../../net/fields';
import { formatAddress } from '../../net/format';
import { HostPortFields, SecondsField } from '../../net/TargetFields';
import { useStore } from '../../net/useStore';
import { TranscriptView } from '../../transcript/TranscriptView';
import { ConversationActions } from '../../conversation/ConversationActions';
import { smtpSource } from '../../conversation/smtpSource';
import { SequenceSection } from '../../sequence/SequenceDiagram';
import type { ConversationModel } from './model';
import { ReplyBlock } from './ReplyBlock';
import { revealReply } from './reveal';
import { type ConversationState, type SmtpConnection, securityLabels, type Security } from './state';
import { CertificateFacts, StepCard } from './StepCard';

const securities: readonly Security[] = ['plain', 'implicit-tls'];

/**
 * The conversation builder: connect to a mail server, then send the steps one
 * at a time or all in a row; every step shows its bytes and the reply explained,
 * and the transcript below has both directions byte for byte.
 */
export function ConversationView({
  model,
  builtIn,
}: {
  model: ConversationModel;
  /** The built-in mail server's address while it runs: one click fills Host and Port. */
  builtIn?: SocketAddress | undefined;
}) {
  const state = useStore(model);
  const source = useMemo(() => smtpSource(model), [model]);
  const headingId = useId();
  const { panel, focus } = usePanelFocus();
  const [adding, setAdding] = useState<SmtpStepKind>('ehlo');
  const { phase, connection, errors, steps } = state;
  const open = connection?.open === true;
  const waiting = state.stepWait !== undefined;
  const canSend = open && !waiting && !state.sendingAll;

  const connect = async () => {
    const connected = await model.connect();
    focus(connected ? '[data-action="send-step"]' : '[data-action="connect"]');
  };
  const add = () => {
    const id = model.addStepHere(adding);
    requestAnimationFrame(() => {
      const card = panel.current?.querySelector<HTMLElement>(`[data-step="${id}"]`);
      (card?.querySelector<HTMLElement>('input, textarea') ?? card)?.focus();
    });
  };

  const sendNext = async () => {
    const id = state.nextStepId;
    await model.sendStep();
    revealReply(panel.current, id);
  };
  const sendAll = async () => {
    await model.sendAll();
    // Where it stopped: the step refused, or the last one when all went through.
    const after = model.state;
    revealReply(panel.current, after.nextStepId ?? after.steps.at(-1)?.id);
  };

  const nextIndex = steps.findIndex((step) => step.id === state.nextStepId);
  const next = nextIndex >= 0 ? steps[nextIndex] : undefined;
  const eightBitMime = state.session.ehlo?.eightBitMime ?? false;

  return (
    <section className="panel smtp-conversation" aria-labelledby={headingId} ref={panel}>
      <div className="panel-head">
        <h2 id={headingId}>SMTP conversation</h2>
        <span className="panel-session">{open ? describeAwaiting(state.session) : 'not connected'}</span>
      </div>
      <p className="panel-intro">
        Talk to a mail server the way the textbook does with telnet: connect, then send each command and read the
        three-digit reply. The steps below start as the textbook’s; edit, add, reorder, or send one out of order to see
        what the server says.
      </p>
      <HostPortFields model={model} state={state} onEnter={() => void connect()} disabled={phase !== 'idle'}>
        <SelectField
          label="Security"
          value={state.security}
          options={securities}
          labels={securityLabels}
          onChange={(security) => model.setSecurity(security)}
          disabled={phase !== 'idle'}
        />
      </HostPortFields>
      <div className="field-row">
        <SecondsField
          label="Connect deadline (s)"
          value={state.connectDeadline}
          onChange={(value) => model.setConnectDeadline(value)}
          disabled={phase !== 'idle'}
          error={errors.connectDeadline}
        />
        <SecondsField
          label="Reply deadline (s)"
          value={state.replyDeadline}
          onChange={(value) => model.setReplyDeadline(value)}
          error={errors.replyDeadline}
        />
        <CheckboxField
          label="Accept a self-signed certificate (the built-in server makes its own)"
          checked={state.acceptSelfSigned}
          onChange={(accept) => model.setAcceptSelfSigned(accept)}
          disabled={phase !== 'idle'}
        />
      </div>
      <div className="actions">
        {builtIn && !open && (
          <button
            type="button"
            className="link-button"
            onClick={() => model.useServer(loopbackFor(builtIn.address), builtIn.port)}
            disabled={phase !== 'idle'}
          >
            Use the built-in server ({formatAddress(loopbackFor(builtIn.address), builtIn.port)})
          </button>
        )}
        {open ? (
          <button type="button" data-action="disconnect" onClick={() => void model.disconnect()}>
            Disconnect
          </button>
        ) : (
          <ConnectButton state={state} onConnect={() => void connect()} onCancel={() => model.cancelConnect()} />
        )}
      </div>
      <ErrorText error={errors.connect} />
      <ErrorText error={errors.disconnect} />
      {connection && <ConnectionFacts connection={connection} />}

      <div className="smtp-toolbar" role="toolbar" aria-label="Conversation">
        <button
          type="button"
          className="primary"
          data-action="send-step"
          onClick={() => void sendNext()}
          disabled={!canSend || next === undefined}
          title={next ? `Sends step ${nextIndex + 1}, ${stepTitles[next.kind]}` : undefined}
        >
          Send next step
        </button>
        <button type="button" onClick={() => void sendAll()} disabled={waiting || state.sendingAll || !next}>
          Send all steps
        </button>
        <span className="action-hint">
          {next ? `Next: ${nextIndex + 1}. ${stepTitles[next.kind]}` : 'All steps sent.'}
          {open && state.session.phase !== 'closed' && phaseInfo[state.session.phase].next.length > 0 && (
            <> · the server expects: {phaseInfo[state.session.phase].next.slice(0, 4).join(', ')}</>
          )}
        </span>
        <span className="smtp-toolbar-end">
          <SelectField
            label="New step"
            className="smtp-add-kind"
            value={adding}
            options={smtpStepKinds}
            labels={stepTitles}
            onChange={setAdding}
          />
          <button type="button" onClick={add}>
            Add step
          </button>
          <button type="button" className="link-button" onClick={() => model.resetSteps()} disabled={waiting}>
            Start over
          </button>
        </span>
      </div>
      {state.stepWait && (
        <p className="action-hint">
          Waiting for the reply to {state.stepWait.what}: its countdown and Cancel are on that step below.
        </p>
      )}
      <ErrorText error={errors.send} />
      {state.confirmMessage && <MessageConfirm model={model} state={state} stepId={state.confirmMessage} />}
      <p className="smtp-keys">Tip: on a step, Alt+↑ and Alt+↓ move it.</p>
      <ol className="smtp-steps" aria-label="Steps">
        {steps.map((step, index) => (
          <StepCard
            key={step.id}
            model={model}
            step={step}
            index={index}
            count={steps.length}
            run={state.runs[step.id]}
            isNext={step.id === state.nextStepId}
            error={state.stepErrors[step.id]}
            draft={state.drafts[step.id]}
            eightBitMime={eightBitMime}
            canSend={canSend}
            wait={state.stepWait?.stepId === step.id ? state.stepWait : undefined}
            deadline={state.stepDeadlines[step.id] ?? ''}
            defaultDeadline={state.replyDeadline}
          />
        ))}
      </ol>
      <ConversationActions source={source} />
      <TranscriptView
        model={model.transcript}
        emptyText="Connect: the server's greeting, every command and every reply appear here, CR and LF made visible."
      />
      <SequenceSection model={model.transcript} />
    </section>
  );
}

/** A server listening on all interfaces is reached on loopback. */
function loopbackFor(address: string): string {
  if (address === '0.0.0.0') return '127.0.0.1';
  if (address === '::') return '::1';
  return address;
}

function ConnectionFacts({ connection }: { connection: SmtpConnection }) {
  return (
    <div className="smtp-connection">
      <dl className="facts">
        <div>
          <dt>Server</dt>
          <dd className="mono">{formatAddress(connection.host, connection.port)}</dd>
        </div>
        <div>
          <dt>Encryption</dt>
          <dd>{connection.tls ? (connection.implicitTls ? 'TLS from the start' : 'TLS (after STARTTLS)') : 'none'}</dd>
        </div>
        <div>
          <dt>State</dt>
          <dd>{connection.open ? 'open' : `closed: ${connection.closeReason ?? ''}`}</dd>
        </div>
      </dl>
      <ReplyBlock reply={connection.greeting} label="the greeting" />
      {connection.unasked.map((reply, index) => (
        <ReplyBlock key={index} reply={reply} label="sent by the server without a step waiting for it" />
      ))}
      {connection.implicitTls && connection.certificate && <CertificateFacts certificate={connection.certificate} />}
    </div>
  );
}

/**
 * Asked before a message step goes out while the server has not said 354: without DATA's
 * go-ahead, the server reads each line of the message as a command.
 */
function MessageConfirm(props: { model: ConversationModel; state: ConversationState; stepId: string }) {
  const { model, state, stepId } = props;
  const index = state.steps.findIndex((step) => step.id === stepId);
  const data = state.steps.findIndex((step) => step.kind === 'data');
  return (
    <div className="smtp-confirm" role="alertdialog" aria-labelledby={`confirm-${stepId}`}>
      <p id={`confirm-${stepId}`}>
        The server has not said 354 (&ldquo;start mail input&rdquo;), so it would read each line of {index + 1}. The
        message as a command.{' '}
        {data >= 0
          ? `Send ${data + 1}. DATA first and wait for its 354.`
          : 'Add a DATA step before it and send that first.'}
      </p>
      <div className="actions">
        <button type="button" onClick={() => model.dismissMessageConfirm()}>
          Keep it unsent
        </button>
        <button type="button" onClick={() => void model.sendStep(stepId, { anyway: true })}>
          Send the message lines anyway
        </button>
      </div>
    </div>
  );
}
