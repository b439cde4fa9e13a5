import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { createAgentClient } from './api/client.js';
import { App } from './App.js';
import { createI18n } from './i18n/index.js';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
const { api, actingAs, access } = createAgentClient();
createRoot(root).render(
  <StrictMode>
    <I18nextProvider i18n={createI18n('vi')}>
      <App api={api} actingAs={actingAs} access={access} />
    </I18nextProvider>
  </StrictMode>,
);
