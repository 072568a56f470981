import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The web UI, built by `npm run build` (from the package root) into dist/web, which kyoyu serves at
 * `/`. Paths are relative to the package root, where npm runs scripts. The strict CSP of the UI
 * pages allows no inline script or style: no module-preload polyfill (an inline helper in older
 * Vite versions), CSS as files, nothing inlined into index.html.
 */
export default defineConfig({
  root: 'web',
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    target: 'es2022',
    reportCompressedSize: true,
  },
  // `npx vite --config web/vite.config.ts` serves the UI with live reload on :5173 and passes the API
  // through to a kyoyu on :8080 (`npm start`); the Host header is kept for its same-origin check.
  server: {
    fs: { allow: ['..'] },
    proxy: { '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false } },
  },
});
