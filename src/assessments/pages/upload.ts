import type { Request, Response } from 'express';
import { MAX_UPLOAD_BYTES, uploadedFile } from '../../shared/multipart';
import { fileError } from '../import/sheet';

export { MAX_UPLOAD_BYTES };

/**
 * The one uploaded file (field `file`), read into memory by parseMultipart before the CSRF check.
 * Multer's own errors (too large, too many parts) become a 422 on the `file` field, so the page
 * can say what went wrong. So do the multipart parser's (busboy): a body without a boundary, a
 * truncated or garbled one is the client's doing, and with memory storage nothing else can fail.
 */
export function receiveFile(
  req: Request,
  _res?: Response,
): Promise<Express.Multer.File | undefined> {
  const { file, problem } = uploadedFile(req);
  if (problem === 'tooLarge') return Promise.reject(fileError('assess.import.tooLarge'));
  if (problem) return Promise.reject(fileError('assess.import.badUpload'));
  return Promise.resolve(file);
}
