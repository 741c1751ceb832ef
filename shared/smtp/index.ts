// SMTP by hand, the pure part: reading replies as they arrive, explaining
// them, building the commands and the message exactly as sent, checking the
// message, and following the session's phase. No I/O: the Node side sends and
// receives, the renderer shows, both use these.
export { type AuthAnswer, authLoginAnswers, authPlainAnswer, decodeAuthText } from './auth';
export { decodeBase64, encodeBase64 } from './base64';
export { type BuiltLine, type BuiltStep, buildStep, commandBytes, maxCommandLineOctets } from './buildStep';
export {
  type CommandLine,
  isSmtpVerb,
  parseCommandLine,
  pathAddress,
  type SmtpVerb,
  smtpVerbs,
  verbNames,
} from './commands';
export {
  type DotLine,
  type StuffOptions,
  type StuffResult,
  stuffMessage,
  type UnstuffDiagnostic,
  type UnstuffResult,
  unstuffData,
} from './message/dotStuffing';
export { type EhloCapability, type EhloInfo, parseEhloReply } from './reply/ehlo';
export {
  type EnhancedStatus,
  type EnhancedStatusExplanation,
  explainEnhancedStatus,
  parseEnhancedStatus,
} from './reply/enhancedStatus';
export { type ExplainReplyOptions, explainReply, type ReplyExplanation, type ReplyLike } from './reply/explainReply';
export {
  lintMessage,
  lintMessageStep,
  type MessageIssue,
  type MessageIssueKind,
  type MessageLintOptions,
  type MessageLintResult,
  maxTextLineOctets,
} from './message/messageLint';
export { type PhaseInfo, phaseInfo, type SmtpPhase, smtpPhases } from './phases';
export {
  describeReplyClass,
  type ReplyClass,
  type ReplyCodeInfo,
  type ReplySubject,
  replyClass,
  replyCodeInfo,
  replyCodes,
} from './reply/replyCodes';
export {
  createReplyParser,
  maxReplyLineOctets,
  parseReplies,
  type ReplyDiagnostic,
  type ReplyDiagnosticKind,
  type ReplyParser,
  type ReplyParserOptions,
  type SmtpReply,
  type SmtpReplyLine,
} from './reply/replyParser';
export {
  commandOrderProblem,
  describeAwaiting,
  type SmtpExchange,
  type SmtpExchangeSubject,
  type SmtpSendNote,
  type SmtpSessionEvent,
  type SmtpSessionSnapshot,
  type SmtpSessionTrack,
  SmtpSessionTracker,
  type SmtpSessionTrackerOptions,
  trackSmtpSession,
} from './session';
export {
  addStep,
  createStep,
  defaultStepText,
  moveStep,
  nextStepId,
  removeStep,
  type SmtpStep,
  type SmtpStepKind,
  smtpStep,
  smtpStepKinds,
  smtpStepList,
  stepTitles,
  textbookMessage,
  textbookSteps,
  updateStep,
} from './steps';
