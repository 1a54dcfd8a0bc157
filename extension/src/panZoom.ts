// Zoom and pan for diagrams larger than the cell: the SVG viewBox moves, the page does not.
// Plain wheel scrolling is left to the notebook (hijacking it traps the reader inside large
// outputs); zoom needs Ctrl/Cmd + wheel or the buttons, pan is a drag.

export interface ViewBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

export function parseViewBox(svg: SVGSVGElement): ViewBox {
  const [x, y, w, h] = (svg.getAttribute("viewBox") ?? "0 0 1 1").split(/\s+/).map(Number);
  return { x, y, w, h };
}

/** Zooms by `factor` (>1 zooms in) around a point given as fractions (0..1) of the view. */
export function zoomViewBox(v: ViewBox, factor: number, fx = 0.5, fy = 0.5): ViewBox {
  const w = v.w / factor;
  const h = v.h / factor;
  return { x: v.x + (v.w - w) * fx, y: v.y + (v.h - h) * fy, w, h };
}

export class PanZoom {
  private readonly home: ViewBox;
  private drag: { x: number; y: number; v: ViewBox } | null = null;

  constructor(private readonly svg: SVGSVGElement) {
    this.home = parseViewBox(svg);
    svg.addEventListener("wheel", (ev) => this.onWheel(ev), { passive: false });
    svg.addEventListener("pointerdown", (ev) => this.onDown(ev));
    svg.addEventListener("pointermove", (ev) => this.onMove(ev));
    svg.addEventListener("pointerup", () => (this.drag = null));
    svg.addEventListener("pointerleave", () => (this.drag = null));
  }

  zoom(factor: number): void {
    this.set(zoomViewBox(parseViewBox(this.svg), factor));
  }

  reset(): void {
    this.set(this.home);
  }

  private set(v: ViewBox): void {
    this.svg.setAttribute("viewBox", `${v.x} ${v.y} ${v.w} ${v.h}`);
  }

  private onWheel(ev: WheelEvent): void {
    if (!ev.ctrlKey && !ev.metaKey) return;
    ev.preventDefault();
    const r = this.svg.getBoundingClientRect();
    const fx = r.width ? (ev.clientX - r.left) / r.width : 0.5;
    const fy = r.height ? (ev.clientY - r.top) / r.height : 0.5;
    this.set(zoomViewBox(parseViewBox(this.svg), ev.deltaY < 0 ? 1.2 : 1 / 1.2, fx, fy));
  }

  private onDown(ev: PointerEvent): void {
    // Clicks on nodes fold/unfold; only drags that start on the background pan.
    if ((ev.target as Element).closest?.("[data-node-id]")) return;
    this.drag = { x: ev.clientX, y: ev.clientY, v: parseViewBox(this.svg) };
  }

  private onMove(ev: PointerEvent): void {
    if (!this.drag) return;
    const r = this.svg.getBoundingClientRect();
    const scale = r.width ? this.drag.v.w / r.width : 1;
    const v = this.drag.v;
    this.set({
      ...v,
      x: v.x - (ev.clientX - this.drag.x) * scale,
      y: v.y - (ev.clientY - this.drag.y) * scale,
    });
  }
}
