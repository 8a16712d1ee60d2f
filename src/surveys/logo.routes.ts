import type { RequestHandler } from 'express';
import { logoBytes } from '../assessments/branding/logo';
import { loadAssessmentCached } from '../assessments/services/assessment.store';

/**
 * An assessment's organisation logo, for the respondent pages' header. Public (the pages are), a
 * read only. The hash in the path is the content's: a URL serves one image for ever (cached for a
 * year), and any other hash, like an unknown assessment, is 404.
 */
export const serveLogo: RequestHandler = async (req, res) => {
  const id = String(req.params.assessmentId);
  const a = /^[a-f0-9]{24}$/.test(id) ? await loadAssessmentCached(id).catch(() => null) : null;
  const logo = a?.branding?.logo;
  if (!logo || logo.hash !== req.params.hash) {
    res.status(404).type('text/plain').send('Not found');
    return;
  }
  res
    .status(200)
    .set({
      'Content-Type': logo.type,
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
    })
    .send(logoBytes(logo.data));
};
