import fs from 'node:fs';
import path from 'node:path';

/** The repository root, whether running from src/ (tests), dist/ (app) or build/ (bench). */
export const PROJECT_ROOT = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + __dirname);
    dir = up;
  }
  return dir;
})();
