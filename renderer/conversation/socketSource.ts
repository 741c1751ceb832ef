import { formatEscapes } from '../../shared/bytes';
import { type Conversation, expandTemplate } from '../../shared/conversation/index';
import type { ComposerState } from '../net/composer';
import type { SessionTranscript } from '../net/sessionTranscript';
import { type ConversationSource, payloadBytes, stepsFromTranscript } from './model';

interface SocketClient {
  readonly state: { readonly host: string; readonly port: string };
  readonly transcript: SessionTranscript;
  setHost(host: string): void;
  setPort(port: string): void;
  setComposer(change: Partial<ComposerState>): void;
}

/**
 * The UDP and TCP clients' part in conversation files: the last connection's sends and
 * replies from the transcript; opening puts the target in Host and Port and the first
 * send in the Message box (as escapes, so CR and LF stay visible and exact).
 */
export function socketSource(tool: 'udp' | 'tcp', model: SocketClient): ConversationSource {
  return {
    tool,
    record() {
      const steps = stepsFromTranscript(model.transcript.entries);
      if (!steps.some((step) => step.sent))
        return 'Send something first: a conversation file holds what was sent and what came back.';
      const port = Number(model.state.port);
      return { host: model.state.host.trim(), port: Number.isInteger(port) ? port : 0, steps };
    },
    target: () => ({ host: model.state.host, port: model.state.port }),
    load(conversation: Conversation, lookup) {
      if (conversation.target) {
        const host = expandTemplate(conversation.target.host, lookup);
        const port = expandTemplate(conversation.target.port, lookup);
        if (host.ok) model.setHost(host.value);
        if (port.ok) model.setPort(port.value);
      }
      const first = conversation.steps.find((step) => step.send);
      const bytes = first?.send ? payloadBytes(first.send, lookup) : undefined;
      if (bytes) model.setComposer({ text: formatEscapes(bytes), mode: 'escapes', lineEnding: 'none' });
    },
  };
}
