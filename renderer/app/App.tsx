import { useEffect, useRef } from 'react';
import type { PageRestartReason } from '../../shared/app/contract';
import { ComingSoon, NotFound } from './ComingSoon';
import { ConnectionBanner } from './ConnectionBanner';
import { Overview } from './Overview';
import { useRoute } from './route';
import { StatusBar } from './StatusBar';
import { ToolNav } from './ToolNav';
import { findTool } from './tools';
import { useAskBeforeLeaving } from './unsavedWork';

/**
 * The frame every tool lives in: navigation, the selected tool, and the status bar.
 * `pageRestart`: why the desktop app reloaded this page, if it did (renderer/main.tsx).
 */
export function App({ pageRestart }: { pageRestart?: PageRestartReason | undefined }) {
  const route = useRoute();
  const main = useRef<HTMLElement>(null);
  useFocusOnRouteChange(route, main);
  useAskBeforeLeaving();

  return (
    <div className="shell">
      {/* A button, not a link: the hash holds the route, so this moves focus without changing it. */}
      <button type="button" className="skip-link" onClick={() => main.current?.focus()}>
        Skip to the tool
      </button>
      <header className="app-header">
        <a className="brand" href="#/">
          Protocol Playground
        </a>
        <span className="tagline">Speak protocols by hand, see every byte</span>
      </header>
      <ToolNav route={route} />
      <main id="main" ref={main} tabIndex={-1}>
        <ConnectionBanner />
        <Selected route={route} />
      </main>
      <StatusBar pageRestart={pageRestart} />
    </div>
  );
}

function Selected({ route }: { route: string }) {
  if (route === '') return <Overview />;
  const tool = findTool(route);
  if (!tool) return <NotFound route={route} />;
  const { Panel } = tool;
  return Panel ? <Panel /> : <ComingSoon tool={tool} />;
}

/** Keyboard and screen-reader users land on the new page's heading, not back at the top. */
function useFocusOnRouteChange(route: string, main: React.RefObject<HTMLElement | null>) {
  const previous = useRef(route);
  useEffect(() => {
    if (previous.current === route) return;
    previous.current = route;
    const heading = main.current?.querySelector<HTMLElement>('h1');
    (heading ?? main.current)?.focus();
  }, [route, main]);
}
