import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

// The Dockerfile and the compose file cannot run here (no container runtime or MongoDB server can be
// installed on this machine). This checks what can be checked without one.
const ROOT = path.resolve(__dirname, '../..');
const DEPLOY = path.join(ROOT, 'scripts/deploy');
const read = (f: string) => fs.readFileSync(path.join(DEPLOY, f), 'utf8');

describe('production deployment files', () => {
  const dockerfile = read('Dockerfile');
  const compose = parse(read('docker-compose.yml'), { merge: true }) as {
    services: Record<
      string,
      {
        build?: { context: string; dockerfile: string };
        environment?: Record<string, string>;
        volumes?: string[];
      }
    >;
    volumes: Record<string, unknown>;
  };

  it('copies only files and folders that exist in the project', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(?:--\S+ )*(.+) \S+$/gm)].flatMap(
      (m) => m[1]!.split(' '),
    );
    expect(sources.length).toBeGreaterThan(4);
    for (const s of sources) expect(fs.existsSync(path.join(ROOT, s))).toBe(true);
  });

  it('runs npm scripts that exist and starts the compiled server as a non-root user', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    for (const [, script] of dockerfile.matchAll(/npm run (\S+)/g))
      expect(pkg.scripts).toHaveProperty(script!);
    expect(pkg.scripts.build).toContain('tsconfig.build.json');
    expect(fs.existsSync(path.join(ROOT, 'src/server.ts'))).toBe(true); // compiles to dist/server.js
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/server\.js"\]$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n?.*\/healthz/m);
  });

  it('parses, and runs two app instances behind the proxy against a three-member replica set', () => {
    const s = compose.services;
    expect(Object.keys(s).sort()).toEqual([
      'app1',
      'app2',
      'mongo-init',
      'mongo1',
      'mongo2',
      'mongo3',
      'proxy',
    ]);
    for (const app of ['app1', 'app2']) {
      expect(s[app]!.build).toEqual({ context: '../..', dockerfile: 'scripts/deploy/Dockerfile' });
      expect(s[app]!.environment!.MONGODB_URI).toBe(
        'mongodb://mongo1:27017,mongo2:27017,mongo3:27017/?replicaSet=rs0',
      );
      expect(s[app]!.environment!.SESSION_SECRET).toMatch(/^\$\{SESSION_SECRET:\?/);
      expect(s[app]!.environment!.LINK_REF_SECRET).toMatch(/^\$\{LINK_REF_SECRET:\?/);
    }
    expect(Object.keys(compose.volumes).sort()).toEqual(['mongo1', 'mongo2', 'mongo3']);
    expect(fs.existsSync(path.join(ROOT, 'scripts/deploy/Dockerfile'))).toBe(true);
  });

  it('points the proxy at both app instances', () => {
    const nginx = read('nginx.conf');
    expect(nginx).toContain('server app1:3000');
    expect(nginx).toContain('server app2:3000');
  });
});
