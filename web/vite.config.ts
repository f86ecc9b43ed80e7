// Builds the 3D world page, the KPI dashboard and the administration page into dist/web, which the
// server serves at /world, /dashboard and /admin (src/server/routes/pages.ts).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  // The page lives at /world and its files under /world/assets/, so deep links like /world?twin=… load them.
  base: '/world/',
  // Vite's dev server proxies the API to a running platform (`npm start`) for `npx vite web`.
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:8470', ws: true } },
  },
  build: {
    outDir: fileURLToPath(new URL('../dist/web/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // three.js alone is ~150 KB gzip: it is the budget, so warn only well above it.
    chunkSizeWarningLimit: 900,
    // Three pages; each gets only the modules it imports (the dashboard and /admin load no three.js).
    rolldownOptions: {
      input: { world: `${here}index.html`, dashboard: `${here}dashboard.html`, admin: `${here}admin.html` },
    },
  },
});
