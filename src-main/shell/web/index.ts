// The web shell's public surface.
export { BRIDGE_PATH, DEFAULT_RENDERER_DIR, startWebShell } from './server';
export type { WebShell, WebShellOptions } from './server';
export { ensureRenderer } from './renderer-build';
export { openBrowser } from './open-browser';
