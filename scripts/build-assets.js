#!/usr/bin/env node
// Bundles the browser's ECharts (only the parts the matrix page uses, see
// scripts/assets/echarts-matrix.entry.mjs) into build/assets/echarts-matrix.js with esbuild. Run by
// `npm run build`, `npm start` (scripts/ensure-built.js), `npm run test:setup`; the app also runs
// it once if the file is missing (a checkout that skipped those).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const entry = path.join(root, 'scripts', 'assets', 'echarts-matrix.entry.mjs');
const outfile = path.join(root, 'build', 'assets', 'echarts-matrix.js');

function buildAssets() {
  // Required here, not at the top: a production install without dev dependencies that already
  // has the bundle never loads esbuild.
  const esbuild = require('esbuild');
  esbuild.buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2018',
    legalComments: 'eof',
    logLevel: 'warning',
  });
  return outfile;
}

/** Builds when the bundle is missing or older than its entry or ECharts' package. */
function ensureAssets() {
  const echartsPkg = require.resolve('echarts/package.json', { paths: [root] });
  const stale =
    !fs.existsSync(outfile) ||
    [entry, echartsPkg].some((f) => fs.statSync(f).mtimeMs > fs.statSync(outfile).mtimeMs);
  if (stale) buildAssets();
  return outfile;
}

module.exports = { buildAssets, ensureAssets, outfile };

if (require.main === module) {
  ensureAssets();
  const kb = (fs.statSync(outfile).size / 1024).toFixed(0);
  process.stdout.write(`built ${path.relative(root, outfile)} (${kb} KiB)\n`);
}
