import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response } from 'express';

/**
 * The matrix page's ECharts: only the parts it uses (scatter, grid, tooltip, mark lines and areas,
 * graphic, canvas), bundled at build time by scripts/build-assets.js with esbuild and served from
 * our own origin (the CSP allows only 'self' scripts), compressed by the app's compression
 * middleware. The content hash in the URL lets browsers cache it for long.
 */

const root = path.join(__dirname, '..', '..');
const BUNDLE = path.join(root, 'build', 'assets', 'echarts-matrix.js');
export const MATRIX_BUNDLE_PATH = '/static/vendor/echarts-matrix.js';

let version: string | undefined;

/** The bundle's version; builds it once if a checkout skipped `npm run build`/`test:setup`. */
function bundleVersion(): string {
  if (!version) {
    if (!fs.existsSync(BUNDLE))
      execFileSync(process.execPath, [path.join(root, 'scripts', 'build-assets.js')], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
    version = crypto
      .createHash('sha256')
      .update(fs.readFileSync(BUNDLE))
      .digest('hex')
      .slice(0, 12);
  }
  return version;
}

export const matrixBundleUrl = () => `${MATRIX_BUNDLE_PATH}?v=${bundleVersion()}`;

export function sendMatrixBundle(_req: Request, res: Response) {
  bundleVersion();
  res.sendFile(BUNDLE, {
    maxAge: '30d',
    headers: { 'Content-Type': 'text/javascript; charset=utf-8' },
  });
}
