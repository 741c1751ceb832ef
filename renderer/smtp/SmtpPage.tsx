import { folderChooserFor } from '../net/folderChooser';
import { useLab } from '../net/useLab';
import { useStore } from '../net/useStore';
import '../net/net.css';
import { ConversationView } from './client/View';
import { MailServerPanel } from './server/View';
import { SmtpLab } from './smtpLab';
import './smtp.css';

/** SMTP by hand: the conversation builder, and the built-in mail server to talk to beside it. */
export function SmtpPage() {
  const lab = useLab(
    'smtp',
    (client, transport) => new SmtpLab(client, { folders: folderChooserFor(client, transport) }),
  );
  const server = useStore(lab.mailServer);
  const builtIn = server.phase === 'running' && server.local ? server.local : undefined;
  return (
    <article className="page lab-page smtp-page">
      <h1 tabIndex={-1}>SMTP by hand</h1>
      <p className="lead">
        Hold the textbook’s mail conversation yourself: each command exactly as sent, each three-digit reply explained.
        Real mail servers refuse strangers, so start the built-in one and talk to it.
      </p>
      <div className="lab-grid smtp-grid">
        <ConversationView model={lab.conversation} builtIn={builtIn} />
        <MailServerPanel model={lab.mailServer} />
      </div>
    </article>
  );
}
