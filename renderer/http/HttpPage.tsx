import { useRef } from 'react';
import { folderChooserFor } from '../net/folderChooser';
import { useLab } from '../net/useLab';
import '../net/net.css';
import { ComposerView } from './client/View';
import { HttpLab } from './httpLab';
import type { ComposerModel } from './client/model';
import { connectionModeLabels } from './client/send';
import { useStore } from '../net/useStore';
import { ResponseViewer } from './client/response/ResponseViewer';
import { ExperimentView } from './experiment/View';
import { WebServerPanel } from './server/View';
import './http.css';

/** HTTP by hand: the raw request composer, the response it got, and the built-in web server to talk to. */
export function HttpPage() {
  const lab = useLab(
    'http',
    (client, transport) => new HttpLab(client, { folders: folderChooserFor(client, transport) }),
  );
  const server = useRef<HTMLDivElement>(null);
  const showServer = () => {
    server.current?.scrollIntoView({ block: 'start' });
    server.current?.focus();
  };
  return (
    <article className="page lab-page http-page">
      <h1 tabIndex={-1}>HTTP by hand</h1>
      <p className="lead">
        Type a request byte for byte (request line, headers, the empty line, a body) and send it over a real connection;
        the response comes back dissected. Start the built-in web server (under the request) to have a server to talk
        to.
      </p>
      <div className="http-grid">
        <ComposerView model={lab.composer} webServer={lab.webServer} onShowServer={showServer} />
        <ResponseViewer
          store={lab.exchanges}
          actions={{
            followRedirect: (id) => void lab.composer.followRedirect(id),
            fetchObjects: (id) => void lab.composer.fetchObjects(id),
            connectionChoice: <ConnectionChoice model={lab.composer} />,
          }}
        />
        <div className="http-server" ref={server} tabIndex={-1}>
          <WebServerPanel model={lab.webServer} />
        </div>
      </div>
      <ExperimentView model={lab.experiment} />
    </article>
  );
}

/** The composer's connection choice in words, kept up to date. */
function ConnectionChoice({ model }: { model: ComposerModel }) {
  const { connection } = useStore(model);
  return <>{connectionModeLabels[connection].toLowerCase()}</>;
}
