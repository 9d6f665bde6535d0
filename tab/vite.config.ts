import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The bot server serves the built files under /tab/, so every asset URL starts there.
export default defineConfig({
  root,
  base: '/tab/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1200 },
  server: { proxy: { '/api': 'http://127.0.0.1:3978', '/sandbox': 'http://127.0.0.1:3978' } },
});
