import type { Response } from 'supertest';
import type request from 'supertest';

/** Collects a supertest response body as a Buffer, whatever its content type. */
export function binary(res: Response, cb: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

export const asBuffer = (req: request.Test) => req.buffer(true).parse(binary as never);
