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
} from './collect';
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
export { type DiagnosticCode, diagnosticCodes, type HttpDiagnostic, hasErrors, type Severity } from './diagnostics';
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
} from './editRequest';
export type {
  ChunkExtension,
  MessageHeadBase,
  ParseEvent,
  RequestHead,
  RequestParseEvent,
  ResponseHead,
  ResponseParseEvent,
  UnparsedReason,
} from './events';
export { fieldList, fieldsNamed, fieldValue, type HttpField, sameName } from './fields';
export { type BodyFraming, describeFraming } from './framing';
export { type LintDiagnostic, lintRequest, standardMethods } from './lintRequest';
export { createRequestParser, type RequestParser, type RequestParserOptions } from './requestParser';
export { createResponseParser, type ResponseParser, type ResponseParserOptions } from './responseParser';
export type { HttpVersion } from './startLine';
export { describeStatus, type StatusClass, type StatusInfo, statusClass, statusCodes } from './statusCodes';
export { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_HEAD_BYTES, type StreamLimits, type StreamState } from './stream';
export {
  formatHttpDate,
  type RequestTemplateKind,
  requestTemplate,
  requestTemplateKinds,
  requestTemplateLabels,
  type TemplateOptions,
} from './templates';
export { encodeTarget, type HttpTarget, parseHttpUrl, type UrlResult } from './url';
