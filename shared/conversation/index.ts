// Conversations as files (docs/conversations.md): the model, the parser and the
// serializer, what a reply is checked against, and the replay through the typed client.
export * from './model';
export { parseConversationFile } from './parse';
export { bytesToPayloads, formatCheckSpec, serializeConversationFile, textPayload } from './serialize';
export { expandEscapedText, expandTemplate, splitTemplate, templateVariables } from './templates';
export * from './checks';
export { unknownVariables, variableUses } from './variables';
export {
  defaultSettleMs,
  defaultStepTimeoutMs,
  replayConversation,
  replayFile,
  type ReplayOptions,
} from './replay/run';
export { exactReply, makeCheck, makeConversationFile, makeStep } from './build';
export { exportConversationFile, type ExportLanguage, exportLanguages } from './export/index';
