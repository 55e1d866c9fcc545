// How the end-to-end tests and the browser benchmarks run Chromium: Debian's own binary (a
// browser is never downloaded), headless, with the flags below.

/** Every run: no sandbox (containers), no background traffic or component updates. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
];

/** Without a GPU: pages with no 3D view. */
export const NO_GPU_ARGS: readonly string[] = ['--disable-gpu'];

/** WebGL through SwiftShader, for the 3D views. */
export const WEBGL_ARGS: readonly string[] = ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

/** Pages measured or compared side by side must not be throttled as background tabs. */
export const UNTHROTTLED_ARGS: readonly string[] = [
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];
