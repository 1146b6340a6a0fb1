// Vite build of the dashboard: served by `tug server` under /dashboard/, so every asset URL is
// prefixed with that base. Output goes to web/dist (git-ignored), which the server's dashboard
// handler reads. `npm run dev:web` proxies API calls to TUG_API (default https://127.0.0.1:6443).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.TUG_API ?? 'https://127.0.0.1:6443';
const proxied = { target: api, secure: false, changeOrigin: true, ws: true };

export default defineConfig({
  root,
  base: '/dashboard/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': proxied, '/apis': proxied, '/version': proxied } },
});
