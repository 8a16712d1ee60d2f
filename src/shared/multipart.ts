import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';

/** The largest file an upload form takes. */
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

/** Why a multipart body could not be read: the route turns it into its own 422 message. */
export type UploadProblem = 'tooLarge' | 'badUpload';

const single = multer({
  storage: multer.memoryStorage(), // never the disk: a file is read, checked and dropped
  limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 10_000, parts: 12 },
}).single('file');

const PARSED = Symbol('multipart parsed');
type Parsed = { [PARSED]?: { problem?: UploadProblem } };

/**
 * Reads a multipart body (one file in field `file`, a few short fields) into memory before the
 * CSRF check, so that the token travels as a hidden field of the form rather than in its URL
 * (where it would reach logs, history and Referer). The file size limit is enforced while the
 * body streams in: nothing larger than MAX_UPLOAD_BYTES is buffered. A body that cannot be read
 * is not refused here: the route, once the CSRF token (sent before the file) is checked, shows
 * the problem on its page.
 */
export function parseMultipart(req: Request, res: Response, next: NextFunction) {
  if (req.path.startsWith('/api/') || !req.is('multipart/form-data')) return next();
  single(req, res, (err: unknown) => {
    const problem: UploadProblem | undefined = !err
      ? undefined
      : err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE'
        ? 'tooLarge'
        : 'badUpload';
    (req as Parsed)[PARSED] = { problem };
    next();
  });
}

/**
 * The uploaded file of a request parseMultipart read, or the problem with it. A request that is
 * not multipart carries no file (undefined).
 */
export function uploadedFile(req: Request): {
  file?: Express.Multer.File;
  problem?: UploadProblem;
} {
  const parsed = (req as Parsed)[PARSED];
  if (!parsed) return {};
  return parsed.problem ? { problem: parsed.problem } : { file: req.file };
}
