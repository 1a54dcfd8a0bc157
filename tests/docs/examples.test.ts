// Every `@example` in the library's doc comments runs: the blocks are taken from the source,
// compiled with TypeScript, and executed against the library, so an example that names a
// function wrongly, passes the wrong arguments or builds mismatched shapes fails here instead of
// misleading a reader of the API reference. Examples may use a few names a reader is expected to
// have (a model, a batch, a loss, loaders); the context below defines them.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

const srcDir = join(import.meta.dirname, "..", "..", "src");

interface Example {
  where: string;
  code: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

/** The ```ts blocks after `@example` in the file's doc comments. */
function examplesIn(path: string): Example[] {
  const text = readFileSync(path, "utf8");
  const found: Example[] = [];
  for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const body = comment[0]
      .split("\n")
      .map((line) => line.replace(/^\s*\/?\*+\/?\s?/, ""))
      .join("\n");
    for (const m of body.matchAll(/@example\s*\n```ts\n([\s\S]*?)```/g)) {
      const line = text.slice(0, comment.index).split("\n").length;
      found.push({ where: `${relative(srcDir, path)}:${line}`, code: m[1] });
    }
  }
  return found;
}

const examples = sourceFiles(srcDir).flatMap(examplesIn);

/** What examples may use without defining it: a reader's model, batch, loss and loaders. */
const CONTEXT = `
const model = new dl.nn.Sequential(new dl.nn.Flatten(), new dl.nn.Linear(784, 10));
const x = dl.randn([8, 784]);
const y = dl.randint(0, 10, [8]);
const lossFn = new dl.nn.CrossEntropyLoss();
const trainLoader = [[dl.randn([8, 784]), dl.randint(0, 10, [8])]];
const testLoader = [[dl.randn([8, 784]), dl.randint(0, 10, [8])]];
const trainStep = async () => 1;
`;

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (lib: typeof dl) => Promise<void>;

function compile(example: Example): (lib: typeof dl) => Promise<void> {
  // The example runs in a block of its own, so it may redefine the context's names.
  const source = `${CONTEXT}\n{\n${example.code}\n}`;
  const out = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    reportDiagnostics: true,
  });
  expect(out.diagnostics ?? [], `${example.where} does not parse`).toEqual([]);
  return new AsyncFunction("dl", out.outputText);
}

describe("doc comment examples", () => {
  const cwd = process.cwd();
  const scratch = mkdtempSync(join(tmpdir(), "dendrite-doc-examples-"));
  // Examples that save files write them here, not into the repository.
  beforeAll(() => process.chdir(scratch));
  afterAll(() => {
    process.chdir(cwd);
    rmSync(scratch, { recursive: true, force: true });
  });

  it("are found (the main functions and classes have one)", () => {
    expect(examples.length).toBeGreaterThanOrEqual(30);
  });

  for (const example of examples)
    it(`${example.where} runs`, async () => {
      await compile(example)(dl);
    });
});
