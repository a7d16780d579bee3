// Build of innograph's two pages, written to ../dist, which the Go binary
// embeds. The output must be deterministic (web/check-dist.sh rebuilds and
// diffs it), self-contained (no CDN: the pages work offline) and small
// (no source maps).
import { defineConfig } from 'vite';
import { resolve } from 'node:path';

export default defineConfig({
  base: '/',
  // The GraphQL server for `npm run dev`: run the binary on :8090.
  server: {
    proxy: {
      '/graphql': 'http://localhost:8090',
      '/export': 'http://localhost:8090',
    },
  },
  build: {
    outDir: resolve(__dirname, '../dist'),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 4096,
    reportCompressedSize: false,
    // Keep assets as files: inlined blobs and data: scripts would need a looser CSP.
    assetsInlineLimit: 0,
    rollupOptions: {
      onwarn(warning, warn) {
        // React libraries mark modules "use client"; meaningless in a client-only bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
      input: {
        index: resolve(__dirname, 'index.html'),
        explore: resolve(__dirname, 'explore.html'),
      },
    },
  },
  worker: { format: 'es' },
});
