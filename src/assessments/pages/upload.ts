import type { Request, Response } from 'express';
import multer from 'multer';
import { fileError } from '../import/sheet';

export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

const single = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 10_000, parts: 12 },
}).single('file');

/**
 * Receives one uploaded file (field `file`) into memory. Multer's own errors (too large, too many
 * parts) become a 422 on the `file` field, so the page can say what went wrong.
 */
export function receiveFile(req: Request, res: Response): Promise<Express.Multer.File | undefined> {
  return new Promise((resolve, reject) => {
    single(req, res, (err: unknown) => {
      if (!err) return resolve(req.file);
      if (err instanceof multer.MulterError) {
        return reject(fileError(err.code === 'LIMIT_FILE_SIZE' ? 'assess.import.tooLarge' : 'assess.import.badUpload'));
      }
      reject(err instanceof Error ? err : new Error('upload failed', { cause: err }));
    });
  });
}
