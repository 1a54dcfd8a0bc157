// Just enough of source maps (v3) to map a stack frame of a compiled cell back to the line
// the user typed: decode the VLQ mappings once, then binary-search a line's segments.

/** [generatedColumn, sourceLine, sourceColumn], all zero-based. */
type Segment = [number, number, number];

export interface Position {
  line: number;
  column: number;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

function decodeVlq(text: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of text) {
    const digit = B64_INDEX.get(ch);
    if (digit === undefined) throw new Error(`bad VLQ character ${ch}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    out.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return out;
}

export class SourceMap {
  private readonly lines: Segment[][];

  constructor(mappings: string) {
    this.lines = [];
    // Source line and column are deltas across the whole file; columns reset per line.
    let srcLine = 0;
    let srcCol = 0;
    for (const line of mappings.split(";")) {
      const segments: Segment[] = [];
      let genCol = 0;
      for (const field of line.split(",")) {
        if (!field) continue;
        const v = decodeVlq(field);
        genCol += v[0];
        if (v.length < 4) continue;
        srcLine += v[2];
        srcCol += v[3];
        segments.push([genCol, srcLine, srcCol]);
      }
      this.lines.push(segments);
    }
  }

  static fromJson(json: string): SourceMap {
    return new SourceMap((JSON.parse(json) as { mappings: string }).mappings);
  }

  /** The original position of a generated one, or null when the line has no mapping. */
  lookup(line: number, column: number): Position | null {
    const segments = this.lines[line];
    if (!segments || segments.length === 0) return null;
    // Last segment starting at or before the column; a frame left of the first segment
    // (indentation) belongs to that first segment.
    let lo = 0;
    let hi = segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segments[mid][0] <= column) lo = mid;
      else hi = mid - 1;
    }
    const [, srcLine, srcCol] = segments[lo];
    return { line: srcLine, column: srcCol };
  }
}

/** Two maps applied in turn: generated → intermediate → original. */
export class ChainedMap {
  constructor(private readonly maps: SourceMap[]) {}

  lookup(line: number, column: number): Position | null {
    let pos: Position | null = { line, column };
    for (const map of this.maps) {
      pos = map.lookup(pos.line, pos.column);
      if (!pos) return null;
    }
    return pos;
  }
}

const INLINE_MAP = /\n?\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

/** Splits `//# sourceMappingURL=data:...` off the end of emitted JavaScript. */
export function splitInlineMap(js: string): { code: string; map: string | null } {
  const m = INLINE_MAP.exec(js);
  if (!m) return { code: js, map: null };
  return { code: js.slice(0, m.index), map: Buffer.from(m[1], "base64").toString("utf8") };
}
