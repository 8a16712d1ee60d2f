import { z } from 'zod';
import { ValidationError } from '../shared/errors';
import { normaliseLang } from '../shared/i18n';
import { fileError, readCsv } from '../assessments/import/sheet';

export interface Invitee {
  name?: string;
  email?: string;
  language?: string;
}

const emailSchema = z.email();
const MAX_ROWS = 10_000;

/**
 * Reads a CSV of invitees (header row with `name` and `email`, optionally `language`: en, zh-Hant,
 * zh-Hans or a tag such as zh-HK). Addresses and languages are checked here too, so that the report
 * can name the sheet row of each bad one.
 */
export function readInvitees(file: { buffer: Buffer } | undefined): {
  invitees: Invitee[];
  sourceRows: number[];
} {
  if (!file || !file.buffer.length) throw fileError('assess.import.noFile');
  const sheet = readCsv(file.buffer);
  const emailColumn = ['email', 'e_mail', 'mail'].find((c) => sheet.columns.includes(c));
  if (!emailColumn) throw fileError('links.upload.header');
  if (!sheet.rows.length) throw fileError('assess.import.empty');
  if (sheet.rows.length > MAX_ROWS) throw fileError('links.upload.tooMany');
  const errors: { path: string; message: string }[] = [];
  const invitees = sheet.rows.map(({ row, cells }) => {
    const email = cells[emailColumn] || undefined;
    const name = cells.name || undefined;
    const langCell = cells.language || cells.lang || undefined;
    const language = langCell ? normaliseLang(langCell) : undefined;
    if (langCell && !language)
      errors.push({ path: `row ${row}: language`, message: 'links.upload.language' });
    if (email && !emailSchema.safeParse(email).success)
      errors.push({ path: `row ${row}: email`, message: 'validation.email' });
    if (!email && !name)
      errors.push({ path: `row ${row}: email`, message: 'links.upload.nameOrEmail' });
    return {
      ...(name ? { name } : {}),
      ...(email ? { email } : {}),
      ...(language ? { language } : {}),
    };
  });
  if (errors.length) throw new ValidationError(errors, 'links.upload.failed');
  return { invitees, sourceRows: sheet.rows.map((r) => r.row) };
}
