// SMTP by hand, the pure part: reading replies as they arrive, explaining
// them, building the commands and the message exactly as sent, checking the
// message, and following the session's phase. No I/O: the Node side sends and
// receives, the renderer shows, both use these.
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
} from './replyParser';
