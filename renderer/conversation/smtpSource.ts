import { concatBytes, formatEscapes } from '../../shared/bytes';
import { type Conversation, expandTemplate, makeCheck } from '../../shared/conversation/index';
import { createStep, type SmtpStep } from '../../shared/smtp';
import type { ConversationModel } from '../smtp/client/model';
import { type ConversationSource, type DraftStep, payloadBytes } from './model';

/**
 * The SMTP conversation's part in conversation files: the greeting and every step sent
 * on the connection with the code of its last reply; opening a file turns each send
 * into a free line (escapes, no line ending added) so the bytes stay exactly as saved.
 */
export function smtpSource(model: ConversationModel): ConversationSource {
  return {
    tool: 'smtp',
    record() {
      const state = model.state;
      const steps: DraftStep[] = [];
      const greeting = state.connection?.greeting;
      if (greeting !== undefined && greeting.code !== null) {
        steps.push({
          sent: undefined,
          checks: [{ keep: true, check: makeCheck({ kind: 'code', pattern: String(greeting.code) }) }],
        });
      }
      for (const step of state.steps) {
        const run = state.runs[step.id];
        if (!run || run.lines.length === 0) continue;
        const last = run.replies[run.replies.length - 1];
        steps.push({
          sent: concatBytes(run.lines.map((line) => line.bytes)),
          checks:
            last !== undefined && last.code !== null
              ? [{ keep: true, check: makeCheck({ kind: 'code', pattern: String(last.code) }) }]
              : [],
        });
      }
      if (!steps.some((step) => step.sent))
        return 'Connect and send a step first: a conversation file holds what was sent and what came back.';
      const host = state.connection?.host ?? state.host.trim();
      const port = state.connection?.port ?? Number(state.port);
      return { host, port, steps };
    },
    target: () => ({ host: model.state.host, port: model.state.port }),
    load(conversation: Conversation, lookup) {
      if (conversation.target) {
        const host = expandTemplate(conversation.target.host, lookup);
        const port = expandTemplate(conversation.target.port, lookup);
        if (host.ok) model.setHost(host.value);
        if (port.ok) model.setPort(port.value);
      }
      const steps: SmtpStep[] = [];
      for (const step of conversation.steps) {
        if (!step.send) continue;
        const bytes = payloadBytes(step.send, lookup) ?? new Uint8Array(0);
        steps.push(createStep('free', steps, { text: formatEscapes(bytes), inputMode: 'escapes', lineEnding: 'none' }));
      }
      model.loadSteps(steps);
    },
  };
}
