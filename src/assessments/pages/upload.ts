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
 * parts) become a 422 on the `file` field, so the page can say what went wrong. So do the multipart
 * parser's (busboy): a body without a boundary, a truncated or garbled one is the client's doing,
 * and with memory storage nothing else can fail here.
 */
export function receiveFile(req: Request, res: Response): Promise<Express.Multer.File | undefined> {
  return new Promise((resolve, reject) => {
    single(req, res, (err: unknown) => {
      if (!err) return resolve(req.file);
      if (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE')
        return reject(fileError('assess.import.tooLarge'));
      reject(fileError('assess.import.badUpload'));
    });
  });
}
