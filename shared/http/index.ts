// HTTP/1.x for the composer, the response viewer and the built-in web server:
// push parsers for both directions, the request linter, raw-text helpers,
// templates, status meanings and the cookie jar. Pure: no Node, no DOM.

export {
  type ChunkInfo,
  type CollectedMessage,
  type CollectedStream,
  collectMessages,
  mergeDataEvents,
  type ParseAllOptions,
  parseRequests,
  parseResponses,
} from './parse/collect';
export {
  type CookieJar,
  cookieHeaderValue,
  cookieJarSchema,
  cookiePathMatches,
  cookiesFor,
  defaultCookiePath,
  deleteCookie,
  emptyCookieJar,
  parseCookieDate,
  parseSetCookie,
  pruneExpired,
  putCookie,
  type SetCookie,
  type SetCookieResult,
  type StoredCookie,
  type StoreResult,
  storedCookieSchema,
  storeResponseCookies,
  storeSetCookie,
} from './cookies';
export {
  type DiagnosticCode,
  diagnosticCodes,
  type HttpDiagnostic,
  hasErrors,
  type Severity,
} from './compose/diagnostics';
export {
  type EditResult,
  removeHeader,
  requestBody,
  type SetHeaderOptions,
  setConditionalHeaders,
  setContentLengthFromBody,
  setCookieHeader,
  setHeader,
  setHostFromUrl,
  setTargetFromUrl,
  type TextChange,
  type Validators,
  validatorsFrom,
} from './compose/editRequest';
export type {
  ChunkExtension,
  MessageHeadBase,
  ParseEvent,
  RequestHead,
  RequestParseEvent,
  ResponseHead,
  ResponseParseEvent,
  UnparsedReason,
} from './parse/events';
export { fieldList, fieldsNamed, fieldValue, type HttpField, sameName } from './parse/fields';
export { type BodyFraming, describeFraming } from './parse/framing';
export {
  type LintDiagnostic,
  type LintOptions,
  type LintUrl,
  lintRequest,
  standardMethods,
} from './compose/lintRequest';
export { createRequestParser, type RequestParser, type RequestParserOptions } from './parse/requestParser';
export { createResponseParser, type ResponseParser, type ResponseParserOptions } from './parse/responseParser';
export type { HttpVersion } from './parse/startLine';
export { describeStatus, type StatusClass, type StatusInfo, statusClass, statusCodes } from './statusCodes';
export { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_HEAD_BYTES, type StreamLimits, type StreamState } from './parse/stream';
export {
  formatHttpDate,
  type RequestTemplateKind,
  requestTemplate,
  requestTemplateKinds,
  requestTemplateLabels,
  type TemplateOptions,
} from './compose/templates';
export { encodeTarget, type HttpTarget, parseHttpUrl, type UrlResult } from './url';
