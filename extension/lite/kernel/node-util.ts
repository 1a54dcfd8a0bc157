// `node:util` for the browser worker: the kernel's shared code formats values with Node's
// inspect; here loupe (Node-like output: `[ 2, 3 ]`, `{ a: 1 }`, and it honours
// `nodejs.util.inspect.custom`, which the library's tensors implement) stands in.
import { inspect as loupeInspect } from "loupe";

export interface InspectOptions {
  depth?: number;
  maxArrayLength?: number;
  maxStringLength?: number;
  breakLength?: number;
}

export function inspect(value: unknown, options: InspectOptions = {}): string {
  return loupeInspect(value, {
    depth: options.depth ?? 2,
    truncate: options.maxStringLength ?? 10_000,
  });
}

/** Node's util.format: printf-style %s %d %i %f %j %o %O %c, then the rest joined by spaces. */
export function format(...args: unknown[]): string {
  const first = args[0];
  if (typeof first !== "string") return args.map(show).join(" ");
  let i = 1;
  let out = first.replace(/%([sdifjoOc%])/g, (whole, spec: string) => {
    if (spec === "%") return "%";
    if (i >= args.length) return whole;
    const v = args[i++];
    if (spec === "s") return typeof v === "string" ? v : show(v);
    if (spec === "d" || spec === "i")
      return String(spec === "i" ? Math.trunc(Number(v)) : Number(v));
    if (spec === "f") return String(Number(v));
    if (spec === "j") return JSON.stringify(v);
    if (spec === "c") return "";
    return inspect(v, { depth: 4 });
  });
  for (; i < args.length; i++) out += ` ${show(args[i])}`;
  return out;
}

function show(v: unknown): string {
  return typeof v === "string" ? v : inspect(v);
}
