import fs from 'node:fs';
import path from 'node:path';

// Architecture rule 3: the scoring core is pure. This stands in for a lint rule.
describe('src/scoring is pure', () => {
  const dir = path.resolve(__dirname, '../../src/scoring');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts'));

  it.each(files)('%s imports only other scoring files', (file) => {
    const source = fs.readFileSync(path.join(dir, file), 'utf8');
    const imports = [
      ...source.matchAll(
        /(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/g,
      ),
    ].map((m) => m[1] ?? m[2]);
    for (const spec of imports) expect(spec).toMatch(/^\.\//);
  });
});
