import './zodConfig';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { pageRestartFromSearch } from './app/format';
import { ConnectionProvider } from './app/hooks';
import { connectFromPage } from './transport/connection';
import './app/app.css';

// Read once, then dropped from the address: a later reload is not another crash.
const pageRestart = pageRestartFromSearch(window.location.search);
if (pageRestart) window.history.replaceState(null, '', window.location.pathname + window.location.hash);

const manager = connectFromPage();
manager.start();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <ConnectionProvider manager={manager}>
      <App pageRestart={pageRestart} />
    </ConnectionProvider>
  </StrictMode>,
);
