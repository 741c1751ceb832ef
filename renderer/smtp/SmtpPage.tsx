import { useLab } from '../net/useLab';
import '../net/net.css';
import { ConversationView } from './ConversationView';
import { SmtpLab } from './smtpLab';
import './smtp.css';

/** SMTP by hand: the conversation builder, and the built-in mail server to talk to beside it. */
export function SmtpPage() {
  const lab = useLab('smtp', (client) => new SmtpLab(client));
  return (
    <article className="page lab-page smtp-page">
      <h1 tabIndex={-1}>SMTP by hand</h1>
      <p className="lead">
        Hold the textbook’s mail conversation yourself: each command exactly as sent, each three-digit reply explained.
        Real mail servers refuse strangers, so start the built-in one and talk to it.
      </p>
      <div className="lab-grid smtp-grid">
        <ConversationView model={lab.conversation} />
        {/* MAIL SERVER SLOT: <MailServerPanel model={lab.mailServer} /> once it lands. */}
        <aside className="panel smtp-server-slot" aria-label="Mail server (coming)">
          <p>The built-in mail server appears here.</p>
        </aside>
      </div>
    </article>
  );
}
