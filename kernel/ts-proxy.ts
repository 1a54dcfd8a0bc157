// The TypeScript module tslab sees, with adjustments made from outside (tslab's files stay
// untouched): compiler options adjusted by the caller, cells compiled with inline source maps
// kept through tslab's ES-module-to-CommonJS step, and, in the browser, a virtual `sys`.
// tslab reaches TypeScript through `__importStar(require(...))`, which returns a module flagged
// `__esModule` as is, so the Proxy sees every call.
import type * as Ts from "@tslab/typescript-for-tslab";
import { MAPS_MARK } from "./tslab-types.js";
import { decodeBase64Utf8, encodeBase64Utf8 } from "./tasks.js";

export interface TsAdjustments {
  adjustOptions(options: Ts.CompilerOptions): Ts.CompilerOptions;
  /** Replaces ts.sys (the browser has none). */
  sys?: Ts.System;
}

const INLINE = /\n?\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

export function makeTsProxy(ts: typeof Ts, adjust: TsAdjustments): typeof Ts {
  const createWatchCompilerHost = (...args: any[]) => {
    if (Array.isArray(args[0])) args[1] = adjust.adjustOptions(args[1]);
    return (ts.createWatchCompilerHost as (...a: any[]) => unknown)(...args);
  };
  // tslab turns the emitted ES module into CommonJS with transpileModule, which would drop
  // the first source map: keep it, ask for the second, and append both for the executor.
  const transpileModule = (input: string, opts: Ts.TranspileOptions): Ts.TranspileOutput => {
    const m = INLINE.exec(input);
    if (!m) return ts.transpileModule(input, opts);
    const first = decodeBase64Utf8(m[1]);
    const compilerOptions = { ...opts.compilerOptions, sourceMap: true, inlineSourceMap: false };
    const out = ts.transpileModule(input.slice(0, m.index), { ...opts, compilerOptions });
    const code = out.outputText.replace(/\n?\/\/# sourceMappingURL=.*\s*$/, "");
    const maps = encodeBase64Utf8(JSON.stringify([out.sourceMapText, first]));
    return { ...out, outputText: code + MAPS_MARK + maps };
  };
  return new Proxy(ts, {
    get(target, key) {
      if (key === "__esModule") return true;
      if (key === "createWatchCompilerHost") return createWatchCompilerHost;
      if (key === "transpileModule") return transpileModule;
      if (key === "sys" && adjust.sys) return adjust.sys;
      return (target as any)[key];
    },
  });
}
