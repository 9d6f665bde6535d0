import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
// `vite` in tab/ (live reload) sends the API to the bot that `npm start` runs on PORT.
const bot = `http://127.0.0.1:${process.env.PORT || 3978}`;

// The bot server serves the built files under /tab/, so every asset URL starts there.
export default defineConfig({
  root,
  base: '/tab/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1200 },
  server: { proxy: { '/api': bot, '/sandbox': bot } },
});
