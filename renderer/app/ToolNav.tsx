import { hrefFor } from './route';
import { tools } from './tools';

export function ToolNav({ route }: { route: string }) {
  return (
    <nav className="tool-nav" aria-label="Tools">
      <ul>
        <li>
          <a href={hrefFor('')} aria-current={route === '' ? 'page' : undefined}>
            Overview
          </a>
        </li>
        {tools.map((tool) => (
          <li key={tool.id}>
            <a href={hrefFor(tool.id)} aria-current={route === tool.id ? 'page' : undefined}>
              <span className="tool-label">{tool.label}</span>
              {!tool.Panel && <span className="badge">coming</span>}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
