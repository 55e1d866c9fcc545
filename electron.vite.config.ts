// One build for the three Electron bundles (main, preload, renderer) via electron-vite.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      lib: { entry: resolve('src-main/shell/electron/main.ts') },
      outDir: 'out/main',
    },
  },
  preload: {
    build: {
      lib: { entry: resolve('src-main/shell/electron/preload.ts') },
      outDir: 'out/preload',
      // Sandboxed preloads must be CommonJS.
      rollupOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: 'src-renderer',
    plugins: [react()],
    build: {
      outDir: resolve('out/renderer'),
      rollupOptions: { input: resolve('src-renderer/index.html') },
    },
  },
});
