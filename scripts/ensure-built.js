#!/usr/bin/env node
// Compiles src/ to dist/ when any source file is newer than the compiled output, then runs the
// given dist entry with the remaining arguments (used by `npm run cli` and `npm start`).
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const [entry, ...args] = process.argv.slice(2);

function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

const marker = path.join(root, 'dist', '.built');
const stale =
  !fs.existsSync(marker) || newest(path.join(root, 'src')) > fs.statSync(marker).mtimeMs;
if (stale) {
  process.stderr.write('compiling TypeScript…\n');
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    { cwd: root, stdio: ['ignore', 2, 2] },
  );
  fs.writeFileSync(marker, new Date().toISOString());
}
// The matrix page's ECharts bundle (esbuild), rebuilt when missing or older than its sources.
require('./build-assets').ensureAssets();
const child = spawn(process.execPath, [path.join(root, 'dist', entry), ...args], {
  stdio: 'inherit',
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
