#!/usr/bin/env node
// Builds the embedded database launcher (scripts/embedded-db) once into a cache outside the
// repository, keyed by the hash of its sources, so every later start is instant.
'use strict';
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const SOURCE_DIR = path.join(__dirname, 'embedded-db');
const MIN_GO = [1, 24];

function defaultCacheRoot() {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'dma-platform', 'embedded-db');
}

function sourceHash() {
  const h = crypto.createHash('sha256');
  for (const f of ['go.mod', 'go.sum', 'main.go'])
    h.update(fs.readFileSync(path.join(SOURCE_DIR, f)));
  return h.digest('hex').slice(0, 16);
}

function binaryPath(cacheRoot = defaultCacheRoot()) {
  return path.join(cacheRoot, sourceHash(), 'embedded-db');
}

function checkGo() {
  let out;
  try {
    out = execFileSync('go', ['version'], { encoding: 'utf8', env: goEnv() });
  } catch {
    throw new Error(
      'Go >= 1.24 is needed once to build the embedded database (https://go.dev/dl), ' +
        'or set MONGODB_URI to use an existing MongoDB server.',
    );
  }
  const m = /go(\d+)\.(\d+)/.exec(out);
  if (!m || Number(m[1]) < MIN_GO[0] || (Number(m[1]) === MIN_GO[0] && Number(m[2]) < MIN_GO[1])) {
    throw new Error(`Go >= 1.24 is needed to build the embedded database; found: ${out.trim()}`);
  }
}

function goEnv() {
  const extra = fs.existsSync('/usr/local/go/bin') ? `:/usr/local/go/bin` : '';
  return {
    ...process.env,
    PATH: `${process.env.PATH}${extra}`,
    GOFLAGS: '-mod=readonly',
    CGO_ENABLED: '0',
  };
}

/** Returns the launcher's path, building it first when the cache has no binary for these sources. */
function ensureEmbeddedDbBinary({ cacheRoot = defaultCacheRoot(), log = console.error } = {}) {
  const bin = binaryPath(cacheRoot);
  if (fs.existsSync(bin)) return bin;
  checkGo();
  log(
    'building the embedded database (FerretDB launcher); this happens once and takes 1-2 minutes…',
  );
  fs.mkdirSync(path.dirname(bin), { recursive: true });
  const tmp = `${bin}.${process.pid}.tmp`;
  const started = Date.now();
  execFileSync('go', ['build', '-trimpath', '-o', tmp, '.'], {
    cwd: SOURCE_DIR,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: goEnv(),
  });
  fs.renameSync(tmp, bin); // atomic: a concurrent build simply wins or loses the rename
  log(`embedded database built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${bin}`);
  return bin;
}

module.exports = { ensureEmbeddedDbBinary, binaryPath, defaultCacheRoot };

if (require.main === module) {
  try {
    const bin = ensureEmbeddedDbBinary({
      cacheRoot: process.env.EMBEDDED_DB_CACHE || defaultCacheRoot(),
    });
    console.log(bin);
  } catch (err) {
    console.error(`error: ${err.message}`);
    process.exit(1);
  }
}
