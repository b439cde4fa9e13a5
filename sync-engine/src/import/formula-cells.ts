/**
 * Spreadsheet formulas in exported cells. A cell that starts with `=`, `+`,
 * `-` or `@` (or a tab or carriage return before one) is a formula to Excel and
 * LibreOffice when the file is opened: a note typed or pulled from another
 * office as `=HYPERLINK("http://…","Bấm vào đây")` would run as a link, or
 * worse, on the clerk's computer (CSV injection, OWASP). The export writes
 * such a cell with a leading apostrophe, which spreadsheets read as "text
 * follows", and the import takes exactly that apostrophe off again, so a file
 * goes out and comes back with its values unchanged.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const GUARDED = /^'[=+\-@\t\r]/;

/** The cell as written to a CSV file: with an apostrophe in front when a spreadsheet would read it as a formula. */
export function guardFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** A cell read from a CSV file: the apostrophe guardFormula put in front of a formula-like value taken off again. */
export function unguardFormula(cell: string): string {
  return GUARDED.test(cell) ? cell.slice(1) : cell;
}
