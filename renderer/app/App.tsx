import { useEffect, useRef, useState } from 'react';
import { conversationExtension, openInTool, openText } from '../conversation/model';
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
  const dropProblem = useConversationDrop();

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
        {dropProblem && (
          <p className="error" role="alert">
            {dropProblem}
          </p>
        )}
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

/** A conversation file dropped anywhere on the window opens in its tool; what cannot be opened is said. */
function useConversationDrop(): string | undefined {
  const [problem, setProblem] = useState<string | undefined>(undefined);
  useEffect(() => {
    const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') === true;
    const over = (event: DragEvent) => {
      if (hasFiles(event)) event.preventDefault();
    };
    const drop = (event: DragEvent) => {
      const file = event.dataTransfer?.files[0];
      if (!file) return;
      event.preventDefault();
      if (file.size > 1024 * 1024) {
        setProblem(`${file.name} is larger than 1 MiB: not a conversation file (${conversationExtension}).`);
        return;
      }
      void file.text().then((text) => {
        const outcome = openText(file.name, text);
        if (!outcome.ok) {
          setProblem(outcome.message);
          return;
        }
        setProblem(undefined);
        openInTool(outcome.opened);
      });
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, []);
  return problem;
}
