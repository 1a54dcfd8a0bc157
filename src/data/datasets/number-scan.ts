// A fast reader for JSON files that are one big array of numbers (MNIST's pixel files):
// JSON.parse builds a boxed JS array first and takes ~10x longer on 20 MB of floats.
import { fail } from "../../tensor/errors.js";

const ZERO = 48;
const NINE = 57;
const isDigit = (c: number) => c >= ZERO && c <= NINE;

/**
 * Every number in `bytes`, in order. Only for files whose sole numbers are the data (keys are
 * skipped because digits inside strings are skipped).
 */
export function scanNumbers(op: string, bytes: Uint8Array): Float64Array {
  let out = new Float64Array(1 << 16);
  let n = 0;
  let i = 0;
  const len = bytes.length;
  while (i < len) {
    const c = bytes[i];
    if (c === 34) {
      // a string: skip to its closing quote (escapes included)
      i++;
      while (i < len && bytes[i] !== 34) i += bytes[i] === 92 ? 2 : 1;
      i++;
      continue;
    }
    if (!isDigit(c) && c !== 45) {
      i++;
      continue;
    }
    const start = i;
    if (c === 45) i++;
    let value = 0;
    while (i < len && isDigit(bytes[i])) value = value * 10 + (bytes[i++] - ZERO);
    if (bytes[i] === 46) {
      i++;
      let scale = 0.1;
      while (i < len && isDigit(bytes[i])) {
        value += (bytes[i++] - ZERO) * scale;
        scale /= 10;
      }
    }
    if (bytes[i] === 101 || bytes[i] === 69) {
      // exponent: rare, so let the standard parser read the whole literal
      i++;
      if (bytes[i] === 43 || bytes[i] === 45) i++;
      while (i < len && isDigit(bytes[i])) i++;
      value = Math.abs(Number(new TextDecoder().decode(bytes.subarray(start, i))));
    }
    if (Number.isNaN(value)) fail(op, `unreadable number at byte ${start}`);
    if (n === out.length) {
      const grown = new Float64Array(out.length * 2);
      grown.set(out);
      out = grown;
    }
    out[n++] = c === 45 ? -value : value;
  }
  return out.slice(0, n);
}
