// Notebook cells are type-checked by tslab's own TypeScript 5.0, so the library's published
// declarations (dist/src/**/*.d.ts) must be readable by it, whatever TypeScript builds them.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTslab } from "../../kernel/tslab.js";
import { root } from "./helpers.js";

const entry = join(root, "dist", "src", "index.d.ts");

describe.skipIf(!existsSync(entry))("library declarations under TypeScript 5.0", () => {
  it("type-check without errors, as a notebook cell sees them", () => {
    const { ts } = loadTslab();
    expect(ts.version.startsWith("5.0")).toBe(true);
    const options = {
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      target: ts.ScriptTarget.ES2022,
      lib: ["lib.es2022.d.ts"],
      types: ["node"],
      typeRoots: [join(root, "node_modules", "@types")],
      esModuleInterop: true,
      strict: true,
      noEmit: true,
      // Check the declarations themselves, not only their use.
      skipLibCheck: false,
    };
    const program = ts.createProgram([entry], options);
    const diags = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName.includes(join("dist", "src")) ?? true)
      .map((d) => {
        const where = d.file
          ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
          : "";
        return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
      });
    expect(diags).toEqual([]);
  }, 120_000);
});
