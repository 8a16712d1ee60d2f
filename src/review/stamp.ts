import type { Response } from 'express';
import type { Assessment } from '../assessments/model/assessment.types';

type Stamped = Pick<Assessment, 'status' | 'signOff'>;

// CSV has no room for the review stamp inside the file (a first line would break every reader
// that expects the header there), so a CSV download carries it in its file name and a header.

const signedOff = (a: Stamped) => (a.status === 'approved' && a.signOff ? a.signOff : null);

/** The stamp as a file-name part: `provisional` or `signed-off-<meeting date>` (ASCII). */
export function stampFilePart(a: Stamped): string {
  const s = signedOff(a);
  return s ? `signed-off-${s.meetingDate}` : 'provisional';
}

/**
 * The stamp as an HTTP header value (`X-Assessment-Stamp`): `provisional`, or
 * `signed-off; date=<meeting date>; body=<approving body, percent-encoded>` (headers are ASCII).
 */
export function stampHeaderValue(a: Stamped): string {
  const s = signedOff(a);
  return s
    ? `signed-off; date=${s.meetingDate}; body=${encodeURIComponent(s.body)}`
    : 'provisional';
}

export const STAMP_HEADER = 'X-Assessment-Stamp';

/** Sets the stamp header on a download of `a`. */
export function setStampHeader(res: Response, a: Stamped): void {
  res.setHeader(STAMP_HEADER, stampHeaderValue(a));
}
