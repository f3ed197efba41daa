// Trunk post-build hook: adds a Content-Security-Policy to the built index.html that allows
// the page's own files, WebAssembly compilation and exactly the inline loader script Trunk
// wrote (by its SHA-256), and nothing remote. Styles may be inline (style attributes).
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

// `trunk serve` adds an autoreload script after this hook runs; the development server
// (scripts/serve.sh sets CUTOFF_DEV_SERVE) goes without the policy rather than block it.
if (process.env.CUTOFF_DEV_SERVE) {
  console.log('csp: skipped for the development server');
  process.exit(0);
}
const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
const file = join(dir, 'index.html');
let html = readFileSync(file, 'utf8');
const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
  .map((m) => `'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`);
const policy = [
  "default-src 'self'",
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`.trim(),
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
html = html.replace('<head>', `<head>\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />`);
writeFileSync(file, html);
console.log(`csp: ${hashes.length} inline script(s) allowed by hash`);
