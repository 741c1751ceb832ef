import {
  defaultMailServerHostname,
  type MailServerStartRequest,
  maxDataReplyDelayMs,
} from '../../../shared/smtp/server/contract';
import { type ControlError, type ControlErrors, controlError, parseSecondsField } from '../../net/errors';
import { Store } from '../../net/store';

export type MailOption =
  | 'hostname'
  | 'authUser'
  | 'authPassword'
  | 'rejectRecipients'
  | 'maxMessageBytes'
  | 'dataDelay'
  | 'idleTimeout'
  | 'saveFolder';

/** The teacher's options, as typed. */
export interface MailOptionsState {
  readonly hostname: string;
  readonly startTls: boolean;
  readonly requireAuth: boolean;
  readonly authUser: string;
  readonly authPassword: string;
  /** Addresses separated by commas, spaces or new lines. */
  readonly rejectRecipients: string;
  readonly limitSize: boolean;
  /** Bytes. */
  readonly maxMessageBytes: string;
  /** Seconds before the reply to the message's final ".". */
  readonly dataDelay: string;
  /** Seconds of silence after which the server says 421 and hangs up. */
  readonly idleTimeout: string;
  readonly saveToFolder: boolean;
  readonly saveFolder: string;
  readonly errors: ControlErrors<MailOption>;
}

const defaultOptions: MailOptionsState = {
  hostname: defaultMailServerHostname,
  startTls: false,
  requireAuth: false,
  authUser: 'alice',
  authPassword: 'ketchup',
  rejectRecipients: '',
  limitSize: false,
  maxMessageBytes: '1000000',
  dataDelay: '0',
  idleTimeout: '300',
  saveToFolder: false,
  saveFolder: '',
  errors: {},
};

/** A start error the Node side pins on a request field or a folder code, shown beside the option it concerns. */
export const optionFields: Readonly<Record<string, MailOption>> = {
  hostname: 'hostname',
  user: 'authUser',
  password: 'authPassword',
  maxMessageBytes: 'maxMessageBytes',
  dataReplyDelayMs: 'dataDelay',
  idleTimeoutMs: 'idleTimeout',
  saveFolder: 'saveFolder',
};
export const optionCodes: Readonly<Record<string, MailOption>> = {
  E_FOLDER_NOT_FOUND: 'saveFolder',
  E_NOT_A_FOLDER: 'saveFolder',
  E_FOLDER_NOT_WRITABLE: 'saveFolder',
  E_DISK_FULL: 'saveFolder',
  E_FILE: 'saveFolder',
};

/** Splits the typed reject list: commas, semicolons, spaces or new lines; `<bob@x>` loses its brackets. */
export function parseRecipientList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((item) => item.replace(/^<(.*)>$/, '$1').trim())
    .filter((item) => item !== '');
}

/** The teacher's options: plain state with setters, checked before the start call. */
export class MailOptionsModel extends Store<MailOptionsState> {
  constructor() {
    super(defaultOptions);
  }

  update(change: Partial<Omit<MailOptionsState, 'errors'>>): void {
    this.set({ ...this.state, ...change, errors: {} });
  }

  showErrors(errors: ControlErrors<MailOption>): void {
    this.set({ ...this.state, errors });
  }

  /** The start request's options, or the errors to show beside the fields. */
  request(): { ok: true; request: Omit<MailServerStartRequest, 'port' | 'bindAddress'> } | { ok: false } {
    const state = this.state;
    const errors: Partial<Record<MailOption, ControlError>> = {};
    const request: Omit<MailServerStartRequest, 'port' | 'bindAddress'> = {
      hostname: state.hostname.trim(),
      startTls: state.startTls,
      rejectRecipients: parseRecipientList(state.rejectRecipients),
    };
    if (state.hostname.trim() === '')
      errors.hostname = controlError('Type the name the server greets with, e.g. hamburger.edu.');
    if (state.requireAuth) {
      if (state.authUser === '') errors.authUser = controlError('Type the user name clients must send with AUTH.');
      if (state.authPassword === '')
        errors.authPassword = controlError('Type the password clients must send with AUTH.');
      request.requireAuth = { user: state.authUser, password: state.authPassword };
    }
    if (state.limitSize) {
      const text = state.maxMessageBytes.trim().replace(/[,_\s]/g, '');
      if (!/^\d+$/.test(text) || Number(text) < 1) {
        errors.maxMessageBytes = controlError(
          `“${state.maxMessageBytes.trim()}” is not a size: type a whole number of bytes, e.g. 1000000.`,
        );
      } else request.maxMessageBytes = Number(text);
    }
    const delay = parseSecondsField(state.dataDelay, true);
    if (!delay.ok) errors.dataDelay = controlError(delay.message);
    else if ((delay.ms ?? 0) > maxDataReplyDelayMs) {
      errors.dataDelay = controlError(`The DATA delay can be at most ${maxDataReplyDelayMs / 1000} seconds.`);
    } else request.dataReplyDelayMs = delay.ms ?? 0;
    const idle = parseSecondsField(state.idleTimeout, false);
    if (!idle.ok) errors.idleTimeout = controlError(idle.message);
    else if ((idle.ms ?? 0) < 1000 || (idle.ms ?? 0) > 600_000) {
      errors.idleTimeout = controlError('The idle timeout must be from 1 to 600 seconds.');
    } else request.idleTimeoutMs = idle.ms;
    if (state.saveToFolder) {
      if (state.saveFolder.trim() === '') {
        errors.saveFolder = controlError('Type the full path of a folder for the .eml files, e.g. ~/mail.');
      } else request.saveFolder = state.saveFolder.trim();
    }
    if (Object.keys(errors).length > 0) {
      this.showErrors(errors);
      return { ok: false };
    }
    return { ok: true, request };
  }
}
