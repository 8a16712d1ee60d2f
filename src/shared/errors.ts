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
  constructor(
    public readonly fields: FieldError[],
    message = 'common.validationFailed',
  ) {
    super(422, 'validation_failed', message, fields);
  }
}

/** Seconds a client is asked to wait when the database is unavailable (the app reconnects within ~5 s). */
export const DATABASE_RETRY_AFTER_S = 5;

/** 503 while the database cannot be reached: the request may be repeated once it is back. */
export class DatabaseUnavailableError extends AppError {
  readonly retryAfterSeconds = DATABASE_RETRY_AFTER_S;
  constructor() {
    super(503, 'database_unavailable', 'errors.databaseUnavailable');
  }
}

// How the MongoDB driver and mongoose say that no server can be reached right now (by name, so
// that it holds whichever copy of the driver threw): selection timed out, the socket failed or was
// closed, the pool was cleared after such a failure, the client is not (or no longer) connected.
const UNAVAILABLE_NAMES = new Set([
  'MongooseServerSelectionError',
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoPoolClearedError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoServerClosedError',
  'MongoWaitQueueTimeoutError',
]);
// Server errors of a replica set between primaries, or of a server shutting down.
const UNAVAILABLE_SERVER_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);
// The database is the only server this app connects to, so a refused or dropped socket is its.
const UNAVAILABLE_SYSCALL_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
// mongoose's own wording: an operation that waited for a connection, or ran before the first one.
const UNAVAILABLE_MONGOOSE =
  /buffering timed out after|before initial connection is complete|Connection was force closed/;

/**
 * The driver wraps a failure to run an `insertMany` at all (a refused or dropped connection, a
 * cleared pool) in a MongoBulkWriteError with no write errors, no write concern error and no
 * numeric server code, losing the name it is known by above (a refused connection keeps only its
 * message), where `insertOne` throws the network error itself. The server decided nothing.
 */
function unsentBulkWrite(e: object): boolean {
  const { name, writeErrors, code, err } = e as Record<string, unknown>;
  return (
    name === 'MongoBulkWriteError' &&
    Array.isArray(writeErrors) &&
    writeErrors.length === 0 &&
    typeof code !== 'number' &&
    !err
  );
}

/** Whether `err` (or an error it wraps) means "the database cannot be reached right now". */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    if (e instanceof DatabaseUnavailableError) return true;
    const { name, code, message, cause } = e as {
      name?: unknown;
      code?: unknown;
      message?: unknown;
      cause?: unknown;
    };
    if (typeof name === 'string' && UNAVAILABLE_NAMES.has(name)) return true;
    if (
      typeof name === 'string' &&
      name.startsWith('Mongo') &&
      typeof code === 'number' &&
      UNAVAILABLE_SERVER_CODES.has(code)
    )
      return true;
    if (typeof code === 'string' && UNAVAILABLE_SYSCALL_CODES.has(code)) return true;
    if (unsentBulkWrite(e)) return true;
    if (
      name === 'MongooseError' &&
      typeof message === 'string' &&
      UNAVAILABLE_MONGOOSE.test(message)
    )
      return true;
    e = cause;
  }
  return false;
}
