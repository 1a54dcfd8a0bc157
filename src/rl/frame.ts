// One rendered picture of an environment: an SVG drawing with a text fallback. It displays
// itself in a notebook (last expression of a cell, dl.viz.show) and can be kept for later.
import { JUPYTER_DISPLAY, type MimeBundle } from "../display/protocol.js";
import { escapeXml } from "../display/svg.js";

/** Options of `env.render()`. */
export interface RenderOptions {
  /** A line of text drawn under the picture (escaped), e.g. "episode 3, return 120". */
  caption?: string;
}

/**
 * One rendered picture of an environment: an SVG drawing with a text fallback; shows itself in a
 * notebook.
 */
export class Frame {
  constructor(
    /** A standalone SVG document. */
    readonly svg: string,
    /** The same state in words, for front ends that cannot draw SVG. */
    readonly text: string,
  ) {}

  /** The display bundle: the SVG and the text. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return { "text/plain": this.text, "image/svg+xml": this.svg };
  }

  /** The state in words. */
  toString(): string {
    return this.text;
  }
}

const CAPTION_HEIGHT = 18;

/** Wraps a drawing of width x height in an SVG document, adding the caption strip if given. */
export function svgDocument(width: number, height: number, body: string, caption?: string): string {
  const total = caption ? height + CAPTION_HEIGHT : height;
  const text = caption
    ? `<text x="6" y="${height + 13}" fill="#333">${escapeXml(caption)}</text>`
    : "";
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${total}" ` +
    `viewBox="0 0 ${width} ${total}" font-family="sans-serif" font-size="11">` +
    `<rect width="${width}" height="${total}" fill="#fff"/>${body}${text}</svg>`
  );
}

/** A number with a fixed count of decimals, for coordinates (keeps SVG short and stable). */
export const px = (v: number): string => String(Number(v.toFixed(2)));

/** The text fallback's caption suffix. */
export const captionSuffix = (caption?: string): string => (caption ? ` ${caption}` : "");
