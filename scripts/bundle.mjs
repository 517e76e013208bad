// Bundle the VS Code extension with esbuild: dist/extension.js (the extension
// host side, `vscode` external) and dist/worker.js (the analysis worker thread),
// and copy the tree-sitter WASM files next to the bundle, where src/c/parser.ts looks.
// Usage: node scripts/bundle.mjs [--watch] [--minify]
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');
const dist = path.join(root, 'dist');
fs.mkdirSync(dist, { recursive: true });

const wasm = [
  [require.resolve('web-tree-sitter/tree-sitter.wasm'), 'tree-sitter.wasm'],
  [path.join(path.dirname(require.resolve('tree-sitter-c/package.json')), 'tree-sitter-c.wasm'), 'tree-sitter-c.wasm'],
];
for (const [from, name] of wasm) fs.copyFileSync(from, path.join(dist, name));

const options = {
  absWorkingDir: root,
  entryPoints: { extension: 'src/extension.ts', worker: 'src/vscode/worker.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  // web-tree-sitter's ESM build reads import.meta.url, which a CJS bundle does not have: use its CJS build.
  alias: { 'web-tree-sitter': require.resolve('web-tree-sitter') },
  mainFields: ['main', 'module'],
  sourcemap: true,
  minify,
  logLevel: 'warning',
  metafile: true,
};

const t0 = Date.now();
if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
  console.log('bundle: watching');
} else {
  const res = await esbuild.build(options);
  const sizes = Object.entries(res.metafile.outputs)
    .filter(([f]) => f.endsWith('.js'))
    .map(([f, o]) => `${path.basename(f)} ${(o.bytes / 1024).toFixed(0)} KiB`);
  console.log(`bundle: ${sizes.join(', ')}, wasm copied, ${Date.now() - t0} ms`);
}
