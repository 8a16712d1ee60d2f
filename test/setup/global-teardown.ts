import fs from 'node:fs';
import type { EmbeddedDb } from '../../src/db/embedded';

export default async function globalTeardown() {
  const db = (globalThis as { __EMBEDDED_DB__?: EmbeddedDb }).__EMBEDDED_DB__;
  await db?.stop();
  if (process.env.TEST_DATA_DIR)
    fs.rmSync(process.env.TEST_DATA_DIR, { recursive: true, force: true });
}
