import './zodConfig';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { ConnectionProvider } from './app/hooks';
import { connectFromPage } from './transport/connection';
import './app/app.css';

const manager = connectFromPage();
manager.start();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <ConnectionProvider manager={manager}>
      <App />
    </ConnectionProvider>
  </StrictMode>,
);
