export interface TarEntry {
  readonly path: string;
  readonly type: string;
  readonly content: Buffer;
}

const field = (block: Buffer, start: number, length: number): string => {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
};

const paxRecords = (data: Buffer): Record<string, string> =>
  Object.fromEntries(
    data
      .toString('utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => {
        const record = line.slice(line.indexOf(' ') + 1);
        return [record.slice(0, record.indexOf('=')), record.slice(record.indexOf('=') + 1)];
      }),
  );

/** Reads an uncompressed tar, checking every header checksum; pax `path` records override names. */
export function readTar(tar: Buffer): { entries: TarEntry[]; globalRecords: Record<string, string> } {
  const entries: TarEntry[] = [];
  let globalRecords: Record<string, string> = {};
  let nextPath: string | undefined;
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const expected = parseInt(field(header, 148, 8).trim(), 8);
    const actual = [...header].reduce((sum, byte, index) => sum + (index >= 148 && index < 156 ? 32 : byte), 0);
    if (expected !== actual) throw new Error(`bad tar checksum at offset ${offset}`);
    const size = parseInt(field(header, 124, 12), 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const content = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'g') globalRecords = paxRecords(content);
    else if (type === 'x') nextPath = paxRecords(content).path;
    else {
      const prefix = field(header, 345, 155);
      entries.push({ path: nextPath ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100)), type, content });
      nextPath = undefined;
    }
  }
  return { entries, globalRecords };
}
