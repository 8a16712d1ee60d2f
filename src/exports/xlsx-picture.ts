import type ExcelJS from 'exceljs';

// exceljs's streaming writer (the one that keeps a 100,000-response workbook out of memory) can
// place a background image but not a picture in a sheet. This adds the three parts a picture needs
// (the drawing, its relationship to the image, the sheet's relationship to the drawing) and the
// drawing's content type, through the writer's internals: checked against exceljs 4.4.0, and
// test/exports/xlsx-internals.test.ts fails if an upgrade moves them.

const DRAWING_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing';
const IMAGE_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/image';
const EMU_PER_PX = 9525;
const DRAWING_TYPE =
  '<Override PartName="/xl/drawings/drawing1.xml" ' +
  'ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/>';

interface WriterInternals {
  zip: { append(data: string, opts: { name: string }): void };
  media: { name: string }[];
  addContentTypes(): Promise<void>;
}
interface SheetInternals {
  stream: { write(s: string): void };
  _sheetRelsWriter: { addRelationship(rel: { Target: string; Type: string }): string };
  _writeLegacyData(): void;
}

export interface Picture {
  png: Buffer;
  /** top-left cell, 0-based */
  col: number;
  row: number;
  widthPx: number;
  heightPx: number;
  /** alternative text */
  description: string;
}

const xmlEscape = (s: string) =>
  s.replace(/[<>&"]/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[ch]!);

function drawingXml(p: Picture): string {
  const cx = Math.round(p.widthPx * EMU_PER_PX);
  const cy = Math.round(p.heightPx * EMU_PER_PX);
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" ' +
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ' +
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    '<xdr:oneCellAnchor>' +
    `<xdr:from><xdr:col>${p.col}</xdr:col><xdr:colOff>0</xdr:colOff>` +
    `<xdr:row>${p.row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>` +
    `<xdr:ext cx="${cx}" cy="${cy}"/>` +
    '<xdr:pic><xdr:nvPicPr>' +
    `<xdr:cNvPr id="2" name="Picture 1" descr="${xmlEscape(p.description)}"/>` +
    '<xdr:cNvPicPr><a:picLocks noChangeAspect="1"/></xdr:cNvPicPr></xdr:nvPicPr>' +
    '<xdr:blipFill><a:blip r:embed="rId1"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill>' +
    `<xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="${cx}" cy="${cy}"/></a:xfrm>` +
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr>' +
    '</xdr:pic><xdr:clientData/></xdr:oneCellAnchor></xdr:wsDr>'
  );
}

const relsXml = (target: string) =>
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  `<Relationship Id="rId1" Type="${IMAGE_REL}" Target="${target}"/></Relationships>`;

/**
 * Puts `p` into `ws` (one picture per workbook: the drawing is `drawing1`). Call before the sheet
 * is committed; the image itself is written with the workbook's media at commit.
 */
export function addPicture(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  ws: ExcelJS.Worksheet,
  p: Picture,
): void {
  const w = wb as unknown as WriterInternals;
  const sheet = ws as unknown as SheetInternals;
  const imageId = wb.addImage({ buffer: p.png as unknown as ExcelJS.Buffer, extension: 'png' });
  const image = w.media[imageId]!;
  w.zip.append(drawingXml(p), { name: 'xl/drawings/drawing1.xml' });
  w.zip.append(relsXml(`../media/${image.name}`), {
    name: 'xl/drawings/_rels/drawing1.xml.rels',
  });
  // <drawing> comes right before <legacyDrawing> in a worksheet (ECMA-376 §18.3.1.99).
  const writeLegacyData = sheet._writeLegacyData.bind(sheet);
  sheet._writeLegacyData = () => {
    const rId = sheet._sheetRelsWriter.addRelationship({
      Target: '../drawings/drawing1.xml',
      Type: DRAWING_REL,
    });
    sheet.stream.write(`<drawing r:id="${rId}"/>`);
    writeLegacyData();
  };
  // The streaming writer lists no drawings among the content types: add ours to its file, which
  // its addContentTypes appends synchronously (inside a Promise executor).
  const addContentTypes = w.addContentTypes.bind(w);
  w.addContentTypes = () => {
    const append = w.zip.append.bind(w.zip);
    w.zip.append = (data, opts) =>
      append(
        opts.name === '[Content_Types].xml'
          ? data.replace('</Types>', `${DRAWING_TYPE}</Types>`)
          : data,
        opts,
      );
    try {
      return addContentTypes();
    } finally {
      w.zip.append = append;
    }
  };
}
