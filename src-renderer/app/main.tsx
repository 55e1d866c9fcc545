// Renderer entry: picks the bridge for this shell, wires its events into the stores before
// anything is called, renders the app, and opens what the page address asks for.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBridge } from '../bridge';
import { openFromUrl } from './actions';
import { App, NoBridge } from './App';
import { BridgeContext } from './BridgeContext';
import { installDebugHook } from '../views/spatial/debug-hook';
import { wireBridge, wireMenu } from './wire';
import './styles.css';

const root = document.getElementById('root');
if (root) {
  const choice = createBridge(window);
  if (!choice.ok) {
    createRoot(root).render(<NoBridge reason={choice.reason} />);
  } else {
    const bridge = choice.bridge;
    wireBridge(bridge);
    wireMenu(bridge);
    installDebugHook(window);
    createRoot(root).render(
      <StrictMode>
        <BridgeContext.Provider value={bridge}>
          <App />
        </BridgeContext.Provider>
      </StrictMode>,
    );
    void openFromUrl(bridge, window.location.search);
  }
}
