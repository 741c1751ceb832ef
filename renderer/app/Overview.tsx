import { hrefFor } from './route';
import { tools } from './tools';

export function Overview() {
  return (
    <article className="page">
      <h1 tabIndex={-1}>Protocol Playground</h1>
      <p className="lead">
        Speak application-layer protocols by hand and see every byte. Send a line to a UDP or TCP server and watch the
        uppercase reply come back, type an HTTP request or an SMTP conversation yourself, and look at exactly what
        travelled: status, headers, bytes with CR and LF made visible, timings, and who sent what when.
      </p>

      <h2>Tools</h2>
      <ul className="tool-cards">
        {tools.map((tool) => (
          <li key={tool.id} className="tool-card">
            <h3>
              <a href={hrefFor(tool.id)}>{tool.title}</a>
              {!tool.Panel && <span className="badge">coming</span>}
            </h3>
            <p>{tool.summary}</p>
          </li>
        ))}
      </ul>

      <h2>How it works</h2>
      <p>
        The sockets are real: the app&apos;s Node side opens them on this computer with the operating system&apos;s own
        UDP and TCP, exactly as a Python socket program would. This page only shows and composes; it talks to the Node
        side over one typed connection. The status bar at the bottom shows that connection, the Node side&apos;s
        version, a measured round trip and its clock ticking once a second.
      </p>
    </article>
  );
}
