/** The one error type services throw; the central handler turns it into HTML or JSON. */
export class AppError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what = 'errors.notFound') => new AppError(404, 'not_found', what);
export const forbidden = (msg = 'errors.forbidden') => new AppError(403, 'forbidden', msg);

export interface FieldError {
  path: string;
  message: string;
}

export class ValidationError extends AppError {
  constructor(public readonly fields: FieldError[], message = 'common.validationFailed') {
    super(422, 'validation_failed', message, fields);
  }
}
