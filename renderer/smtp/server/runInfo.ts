import type { MailServerCertificate } from '../../../shared/smtp/server/contract';
import { Store } from '../../net/store';

/** What the running server told us beyond ServerModel's state. */
export interface MailRunState {
  readonly certificate: MailServerCertificate | undefined;
  readonly saveFolder: string | undefined;
  readonly maxMessageBytes: number | undefined;
  readonly inboxLimit: { messages: number; bytes: number } | undefined;
  /** The options it was started with (AUTH and STARTTLS notes depend on them). */
  readonly authRequired: boolean;
  readonly startTls: boolean;
}

const idleRun: MailRunState = {
  certificate: undefined,
  saveFolder: undefined,
  maxMessageBytes: undefined,
  inboxLimit: undefined,
  authRequired: false,
  startTls: false,
};

/** What the running server said about itself (certificate, limits), for the panel to show. */
export class MailRunModel extends Store<MailRunState> {
  constructor() {
    super(idleRun);
  }

  update(next: MailRunState): void {
    this.set(next);
  }

  reset(): void {
    this.set(idleRun);
  }
}
