import { hrefFor } from './route';
import type { Tool } from './tools';

export function ComingSoon({ tool }: { tool: Tool }) {
  return (
    <article className="page">
      <h1 tabIndex={-1}>
        {tool.title} <span className="badge">coming</span>
      </h1>
      <p className="lead">{tool.summary}</p>
      <p>
        This tool is not built yet; it comes in a later version. The rest of the app is ready for it:{' '}
        <a href={hrefFor('')}>back to the overview</a>.
      </p>
    </article>
  );
}

export function NotFound({ route }: { route: string }) {
  return (
    <article className="page">
      <h1 tabIndex={-1}>No tool called “{route}”</h1>
      <p>
        The address names a tool this app does not have. <a href={hrefFor('')}>Go to the overview</a> or pick one from
        the list.
      </p>
    </article>
  );
}
