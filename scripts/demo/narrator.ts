/**
 * How the demo talks: numbered sections, each line in Vietnamese then English,
 * so a reviewer of either language can follow the run.
 */
export class Narrator {
  private section = 0;

  constructor(private readonly write: (text: string) => void = (text) => process.stdout.write(text)) {}

  heading(vi: string, en: string): void {
    this.section += 1;
    this.write(`\n== ${this.section}. ${vi} / ${en} ==\n`);
  }

  /** One fact in both languages. */
  say(vi: string, en: string): void {
    this.write(`  ${vi}\n  ${en}\n`);
  }

  /** A line that reads the same in both languages (numbers, addresses, codes). */
  plain(text: string): void {
    this.write(`  ${text}\n`);
  }

  table(rows: string[][]): void {
    const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
    for (const row of rows) this.write(`  ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()}\n`);
  }
}
