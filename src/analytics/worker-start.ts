import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Starts the analytics worker. Production runs the compiled `analytics.worker.js` beside this
 * file; the tests run the TypeScript sources (no dist/), so there the worker first registers a
 * transpile-only loader for `.ts` (the same one test/helpers/ts-register.js gives child processes).
 */
export function startAnalyticsWorker(): Worker {
  const js = path.join(__dirname, 'analytics.worker.js');
  if (fs.existsSync(js)) return new Worker(js);
  const ts = path.join(__dirname, 'analytics.worker.ts');
  const boot = `
const fs = require('node:fs');
const ts = require('typescript');
require.extensions['.ts'] = function (module, filename) {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: filename,
  });
  module._compile(outputText, filename);
};
require(${JSON.stringify(ts)});`;
  return new Worker(boot, { eval: true });
}
