// Renderer entry. The desktop views arrive with the desktop-app issue; until then the window
// says plainly what this build can do.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

function App(): React.JSX.Element {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: 32 }}>
      <h1>Live Objects</h1>
      <p>
        This build contains the object model, the <code>.liveobject</code> format and the runtime. Shared
        desktops arrive in a later release; meanwhile use <code>npx liveobjects check FILE</code> and{' '}
        <code>npx liveobjects inspect FILE</code>.
      </p>
    </main>
  );
}

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
