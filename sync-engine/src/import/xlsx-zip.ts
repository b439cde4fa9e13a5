import { Inflate } from 'fflate';
import { SaxesParser, type SaxesTagPlain } from 'saxes';

/**
 * The parts of an .xlsx workbook (a zip) read one at a time as a stream of
 * XML events, never unpacked whole (docs/decisions.md, "Excel workbooks").
 * The zip's central directory names each part with its offset and sizes;
 * a part's deflated bytes are inflated in chunks by fflate's streaming
 * `Inflate` and each chunk goes straight to a saxes parser, so memory holds
 * a chunk of XML, not the sheet. Every inflated byte of every part read is
 * counted against one budget (the sizes the zip declares can lie), so a
 * part that unpacks to more than the zip said is stopped while inflating.
 */
export interface ZipPart {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  /** As the zip declares it. */
  size: number;
  localOffset: number;
}

/** Not a zip fflate can read (no central directory, encrypted, zip64, another compression): not a workbook. */
export class NotAZip extends Error {}

/** The running count of unpacked bytes went over the budget. */
export class UnpackedTooLarge extends Error {}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const CHUNK = 64 * 1024;

/** The zip's parts by name, from its central directory (the end-of-directory record within the last 64 KiB + 22 bytes). */
export function zipParts(bytes: Uint8Array): Map<string, ZipPart> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i -= 1) {
    if (view.getUint32(i, true) === EOCD) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new NotAZip('no end of central directory');
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const parts = new Map<string, ZipPart>();
  const names = new TextDecoder('utf-8');
  for (let n = 0; n < count; n += 1) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL) throw new NotAZip('bad central directory');
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const compressedSize = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const localOffset = view.getUint32(at + 42, true);
    if (flags & 1 || (method !== 0 && method !== 8) || compressedSize === 0xffffffff || size === 0xffffffff || localOffset === 0xffffffff) throw new NotAZip('unsupported entry');
    const name = names.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    parts.set(name, { name, method, compressedSize, size, localOffset });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return parts;
}

/** Counts unpacked bytes across the parts read; over `max`, the reading stops with UnpackedTooLarge. */
export class UnpackBudget {
  used = 0;
  constructor(readonly max: number) {}
  take(n: number): void {
    this.used += n;
    if (this.used > this.max) throw new UnpackedTooLarge(`more than ${this.max} bytes unpacked`);
  }
}

export interface XmlHandler {
  /** An element opens; its name without a namespace prefix, its attributes as written. */
  open(name: string, attributes: Record<string, string>): void;
  close(name: string): void;
  /** Text (entities decoded), CDATA too. */
  text(text: string): void;
}

/** Reads a part as XML events, inflating it a chunk at a time; a malformed part or zip entry throws NotAZip. */
export function readXmlPart(bytes: Uint8Array, part: ZipPart, budget: UnpackBudget, handler: XmlHandler): void {
  const parser = new SaxesParser({ xmlns: false });
  const local = (name: string) => name.slice(name.indexOf(':') + 1);
  parser.on('opentag', (tag: SaxesTagPlain) => handler.open(local(tag.name), tag.attributes));
  parser.on('closetag', (tag) => handler.close(local(tag.name)));
  parser.on('text', (text) => handler.text(text));
  parser.on('cdata', (text) => handler.text(text));
  parser.on('error', (error) => {
    throw new NotAZip(`malformed XML in ${part.name}: ${error.message}`);
  });
  const decoder = new TextDecoder('utf-8');
  const take = (data: Uint8Array, final: boolean) => {
    budget.take(data.length);
    const text = decoder.decode(data, { stream: !final });
    if (text) parser.write(text);
    if (final) parser.close();
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = part.localOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL) throw new NotAZip(`no local header for ${part.name}`);
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const data = bytes.subarray(start, start + part.compressedSize);
  if (data.length < part.compressedSize) throw new NotAZip(`${part.name} is cut short`);
  if (part.method === 0) {
    for (let i = 0; i < data.length || i === 0; i += CHUNK) take(data.subarray(i, i + CHUNK), i + CHUNK >= data.length);
    return;
  }
  let ended = false;
  const inflate = new Inflate((chunk, final) => {
    ended ||= final;
    take(chunk, final);
  });
  try {
    for (let i = 0; i < data.length || i === 0; i += CHUNK) inflate.push(data.subarray(i, i + CHUNK), i + CHUNK >= data.length);
  } catch (error) {
    // fflate's own errors carry a numeric code; the reader's (a cap reached while reading rows) go on as they are.
    if (typeof (error as { code?: unknown }).code === 'number') throw new NotAZip(`${part.name} does not inflate: ${(error as Error).message}`);
    throw error;
  }
  if (!ended) throw new NotAZip(`${part.name} is cut short`);
}
