import { concatBytes } from '../../shared/bytes';
import { type Conversation, expandTemplate, makeCheck } from '../../shared/conversation/index';
import type { ComposerModel } from '../http/client/model';
import { resolveTarget } from '../http/client/target';
import { type ConversationSource, type DraftStep, payloadBytes } from './model';

const utf8 = new TextDecoder();

/**
 * The HTTP composer's part in conversation files: each request sent, exactly as it
 * went out, with its response's status as the check; opening puts the target in Host
 * and Port and every request of the file in the editor.
 */
export function httpSource(model: ComposerModel): ConversationSource {
  const target = () => {
    const resolved = resolveTarget(model.state);
    return resolved.ok
      ? { host: resolved.send.host, port: String(resolved.send.port) }
      : { host: model.state.host, port: model.state.port };
  };
  return {
    tool: 'http',
    record() {
      const sent = model.exchangeRecords.filter((record) => record.request.length > 0);
      if (sent.length === 0) return 'Send a request first: a conversation file holds what was sent and what came back.';
      const steps: DraftStep[] = sent.map((record) => ({
        sent: record.request,
        checks: record.response
          ? [{ keep: true, check: makeCheck({ kind: 'status', pattern: String(record.response.status) }) }]
          : [],
      }));
      const { host, port } = target();
      return { host, port: Number(port), steps };
    },
    target,
    load(conversation: Conversation, lookup) {
      if (conversation.target) {
        const host = expandTemplate(conversation.target.host, lookup);
        const port = expandTemplate(conversation.target.port, lookup);
        model.setTargetMode('parts');
        if (host.ok) model.setHost(host.value);
        if (port.ok) model.setPort(port.value);
        model.setTls(conversation.target.tls);
      }
      const requests = conversation.steps.flatMap((step) =>
        step.send ? [payloadBytes(step.send, lookup) ?? new Uint8Array(0)] : [],
      );
      model.loadText(utf8.decode(concatBytes(requests)), 'Opened a conversation file: its requests are in the editor.');
    },
  };
}
