import type { NextFunction, Request, Response } from 'express';
import { AppError, DatabaseUnavailableError, FieldError, isDatabaseUnavailable } from './errors';
import { wantsJson } from './http';
import { LANGS, pickLang, translator } from './i18n';
import type { Logger } from './logger';

const TITLES: Record<number, string> = {
  401: 'errors.unauthorizedTitle',
  403: 'errors.forbiddenTitle',
  404: 'errors.notFoundTitle',
  409: 'errors.conflictTitle',
  422: 'errors.invalidTitle',
  429: 'errors.tooManyTitle',
  503: 'errors.unavailableTitle',
};

/**
 * At most this many field errors go into an answer. A 1 MB body can hold hundreds of thousands of
 * bad items (`"answers": [1, 1, …]`): listing each would turn it into a 30 MB answer and seconds of
 * work. The first ones say what is wrong; `detailsOmitted` says how many more there were.
 */
export const MAX_ERROR_DETAILS = 100;

export function notFoundHandler(_req: Request, _res: Response, next: NextFunction) {
  next(new AppError(404, 'not_found', 'errors.notFound'));
}

/** One place turns every error into an HTML page or a JSON body; no stack traces reach users. */
export function errorHandler(logger: Logger) {
  // Express recognises error handlers by their four parameters.
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = normalise(err);
    const unavailable = e instanceof DatabaseUnavailableError;
    // An outage is logged as one line per request, not as a stack trace each time.
    if (unavailable)
      logger.warn(
        { reqId: req.id, cause: (err as Error)?.name ?? String(err) },
        'database unavailable',
      );
    else if (e.status >= 500) logger.error({ err, reqId: req.id }, 'request failed');
    if (res.headersSent) return res.end();
    const json = wantsJson(req);
    // Errors can happen before the locals middleware ran (a malformed or oversized body): its locals
    // may be missing, and the page then speaks the browser's language all the same.
    const locals = res.locals as Partial<Express.Locals>;
    const lang = locals.lang ?? pickLang(req);
    const t = json ? translator('en') : (locals.t ?? translator(lang));
    const message = e.status >= 500 && !unavailable ? t('errors.server') : t(e.message);
    const all = Array.isArray(e.details) ? (e.details as FieldError[]) : undefined;
    const details = all
      ? all.slice(0, MAX_ERROR_DETAILS).map((d) => ({ ...d, message: t(d.message) }))
      : e.details;
    const omitted =
      all && all.length > MAX_ERROR_DETAILS
        ? { detailsOmitted: all.length - MAX_ERROR_DETAILS }
        : {};
    res.status(e.status);
    if (e instanceof DatabaseUnavailableError) res.set('Retry-After', String(e.retryAfterSeconds));
    if (json) {
      return res.json({
        error: {
          code: e.code,
          message,
          ...(details !== undefined && e.status < 500 ? { details, ...omitted } : {}),
        },
      });
    }
    Object.assign(res.locals, {
      lang,
      t,
      langs: locals.langs ?? LANGS,
      currentPath: req.path,
      user: req.user,
    });
    res.render('errors/error', {
      title: t(
        e.status >= 500 && !unavailable
          ? 'errors.serverTitle'
          : e.code === 'invalid_csrf_token'
            ? 'errors.csrfTitle'
            : (TITLES[e.status] ?? 'errors.invalidTitle'),
      ),
      status: e.status,
      message,
      details: Array.isArray(details) ? details : [],
      requestId: requestIdOf(req),
    });
  };
}

/** pino-http's id for the request (a UUID here, see app.ts genReqId); '' before it ran. */
function requestIdOf(req: Request): string {
  return typeof req.id === 'string' || typeof req.id === 'number' ? String(req.id) : '';
}

function normalise(err: unknown): AppError {
  if (err instanceof AppError) return err;
  // Every way the driver or mongoose reports an unreachable database, wherever it was thrown.
  if (isDatabaseUnavailable(err)) return new DatabaseUnavailableError();
  const anyErr = err as {
    code?: string;
    status?: number;
    statusCode?: number;
    type?: string;
    message?: string;
  };
  if (anyErr?.code === 'EBADCSRFTOKEN')
    return new AppError(403, 'invalid_csrf_token', 'errors.csrf');
  if (anyErr?.type === 'entity.parse.failed')
    return new AppError(422, 'malformed_body', 'errors.malformedBody');
  if (anyErr?.type === 'entity.too.large')
    return new AppError(413, 'body_too_large', 'errors.bodyTooLarge');
  const status = anyErr?.status ?? anyErr?.statusCode;
  if (status && status >= 400 && status < 500)
    return new AppError(status, 'bad_request', 'errors.badRequest');
  return new AppError(500, 'internal_error', 'errors.server');
}
