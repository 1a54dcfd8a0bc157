// DOM helpers for the renderers. Payloads are untrusted (a notebook can come from anywhere), so
// every string from a payload reaches the page through textContent or setAttribute, never
// innerHTML: that is what makes the renderers `safe` in JupyterLab's sense.

type Attrs = Record<string, string | number | undefined>;
type Child = Node | string | null | undefined | false;

function fill<E extends Element>(node: E, attrs: Attrs, children: Child[]): E {
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) node.setAttribute(k, String(v));
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return node;
}

/** An HTML element; string children become text nodes, so markup in them stays inert. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  return fill(document.createElement(tag), attrs, children);
}

export const SVG_NS = "http://www.w3.org/2000/svg";

/** An SVG element (needs the SVG namespace, which createElement would not give). */
export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

/**
 * The readable error a renderer shows for a malformed payload, instead of a blank output.
 * Lists the validator's messages so whoever built the bundle can fix it.
 */
export function errorView(what: string, errors: string[]): HTMLElement {
  return h(
    "div",
    { class: "jp-RenderedText dd-error", "data-mime-type": "application/vnd.jupyter.stderr" },
    h("strong", {}, `Cannot display this ${what}: the payload is malformed.`),
    h("ul", {}, ...errors.map((e) => h("li", {}, e))),
  );
}

/** A floating hover box shared by the views; text only. */
export class Tooltip {
  readonly node = h("div", { class: "dd-tooltip", role: "tooltip" });

  constructor(host: HTMLElement) {
    this.node.style.display = "none";
    host.appendChild(this.node);
  }

  /** Shows lines of text near (x, y), given relative to the host element. */
  show(lines: string[], x: number, y: number): void {
    this.node.replaceChildren(...lines.map((l) => h("div", {}, l)));
    this.node.style.left = `${Math.round(x + 12)}px`;
    this.node.style.top = `${Math.round(y + 12)}px`;
    this.node.style.display = "block";
  }

  hide(): void {
    this.node.style.display = "none";
  }
}

/** Position of a pointer event relative to an element's top-left corner. */
export function localPoint(ev: MouseEvent, el: Element): { x: number; y: number } {
  const r = el.getBoundingClientRect();
  return { x: ev.clientX - r.left, y: ev.clientY - r.top };
}
