// The published declarations (dist/src/index.d.ts, what `import * as dl from "dendrite"` sees
// in a notebook or a project) expose api.md's surface with useful types: a program written
// against them type-checks, misspelt options are compile errors (each `@ts-expect-error` below
// must be needed), and no exported value or constructor parameter degrades to `any`.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { loadTslab } from "../../kernel/tslab.js";

const root = resolve(import.meta.dirname, "..", "..");
const entry = join(root, "dist", "src", "index.d.ts");

const USER_PROGRAM = `
import * as dl from "dendrite";

export async function main(): Promise<number> {
  const x: dl.Tensor = dl.randn([4, 3], { requiresGrad: true, dtype: "float32", device: "cpu" });
  const steps: dl.Tensor = dl.arange(5, { dtype: "float32" }).add(dl.eye(5, { dtype: "int32" }));
  const shape: readonly number[] = x.shape;
  // @ts-expect-error shape is readonly
  x.shape.push(1);
  // @ts-expect-error float64 is not a dtype
  dl.zeros([2], { dtype: "float64" });
  const n: number = x.ndim + x.size + shape.length;
  const rows: dl.NestedArray = await x.toArray();
  const data: dl.TypedArray = x.dataSync();
  const s: number = await x.sum().item();
  const y: dl.Tensor = x.add(1).mul(x).relu().sum([0, 1], true).T;
  const [a, b]: dl.Tensor[] = dl.split(x, 2, 0);
  const g: dl.Tensor | null = x.grad;
  const dev: dl.Device = x.device;
  const info: dl.DeviceInfo[] = dl.devices();
  const mem: dl.MemoryInfo = dl.memory();

  const conv = new dl.nn.Conv2d(3, 8, 3, { stride: 2, padding: "same", bias: false });
  // @ts-expect-error misspelt option
  new dl.nn.Conv2d(3, 8, 3, { strides: 2 });
  const lin = new dl.nn.Linear(3, 2, { bias: true, device: "cpu" });
  // @ts-expect-error unknown option
  new dl.nn.Linear(3, 2, { biased: true });
  const out: dl.Tensor = lin.forward(x);
  const [seq, h]: [dl.Tensor, dl.Tensor] = new dl.nn.GRU(3, 5, { batchFirst: true }).forward(x.unsqueeze(0));
  const [, [hn, cn]] = new dl.nn.LSTM(3, 5, { numLayers: 2, bidirectional: true }).forward(x.unsqueeze(1));
  const ln = new dl.nn.LayerNorm(3, { eps: 1e-6, elementwiseAffine: true });
  const bn = new dl.nn.BatchNorm2d(8, { momentum: 0.1, affine: true, trackRunningStats: true });
  const mha = new dl.nn.MultiheadAttention(8, 2, { batchFirst: true, dropout: 0.1 });
  const enc = new dl.nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, normFirst: true });
  const tr = new dl.nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, batchFirst: true });
  const trOut: dl.Tensor = tr.forward(x.unsqueeze(0), x.unsqueeze(0), {
    tgtMask: dl.nn.Transformer.generateSquareSubsequentMask(4),
  });
  // @ts-expect-error the option is dModel
  new dl.nn.Transformer({ d_model: 8 });
  const encStack = new dl.nn.TransformerEncoder(enc, 2, { norm: new dl.nn.LayerNorm(8) });
  const packed: dl.nn.utils.rnn.PackedSequence = dl.nn.utils.rnn.packSequence([x, x.narrow(0, 0, 2)]);
  const [packedOut, [ph]] = new dl.nn.LSTM(3, 5).forward(packed);
  const [unpacked, lengths]: [dl.Tensor, dl.Tensor] = dl.nn.utils.rnn.padPackedSequence(packedOut);
  const bag: dl.Tensor = new dl.nn.EmbeddingBag(10, 4, { mode: "max" }).forward(dl.tensor([[1, 2]], { dtype: "int32" }));
  const tfidf: dl.Tensor = new dl.data.TfidfVectorizer({ maxFeatures: 100, minDf: 2 }).fitTransform(["a b", "b c"]);
  const cmu: dl.data.CmuDictDataset = await dl.data.cmudict({ alphabetic: true, stress: false });
  const [word, phonemes]: [string, string[]] = cmu.get(0);
  const { letters } = cmu.vocabularies();
  const bos: number | null = letters.bosId;
  const ce = new dl.nn.CrossEntropyLoss({ labelSmoothing: 0.1, ignoreIndex: -1, reduction: "sum" });
  // @ts-expect-error reduction is "mean" | "sum" | "none"
  new dl.nn.MSELoss({ reduction: "avg" });
  const attn: dl.Tensor = dl.nn.functional.scaledDotProductAttention(x, x, x, { causal: true, mask: null });
  // @ts-expect-error the option is causal
  dl.nn.functional.scaledDotProductAttention(x, x, x, { isCausal: true });
  const named: [string, dl.nn.Parameter][] = lin.namedParameters();
  const sd: Record<string, dl.Tensor> = lin.stateDict();
  lin.loadStateDict(sd, { strict: false });
  dl.nn.init.kaimingUniform_(lin.weight, { a: Math.sqrt(5), mode: "fanIn", nonlinearity: "leaky_relu" });
  const norm: dl.Tensor = dl.nn.utils.clipGradNorm(lin.parameters(), 1.0);

  const opt = new dl.optim.Adam(lin.parameters(), { lr: 1e-3, betas: [0.9, 0.99], weightDecay: 0 });
  // @ts-expect-error the option is lr
  new dl.optim.Adam(lin.parameters(), { learningRate: 1e-3 });
  new dl.optim.SGD([{ params: lin.parameters(), lr: 0.1 }], { lr: 0.01, momentum: 0.9, nesterov: true });
  const sched = new dl.optim.lrScheduler.OneCycleLR(opt, { maxLr: 0.1, totalSteps: 100 });
  const plateau = new dl.optim.lrScheduler.ReduceLROnPlateau(opt, { mode: "max", patience: 2 });
  plateau.step(0.5);
  sched.step();
  opt.step();
  opt.zeroGrad();
  opt.loadStateDict(opt.stateDict());

  const ds = new dl.data.TensorDataset(x, dl.randint(0, 2, [4]));
  const loader = new dl.data.DataLoader(ds, { batchSize: 2, shuffle: true, dropLast: false });
  const len: number = loader.length;
  for await (const [xb, yb] of loader) {
    const t: dl.Tensor = xb.add(yb);
    t.dispose();
  }
  const tok = new dl.data.WordTokenizer("a b c");
  const ids: number[] = tok.encode("a b");
  const text: string = tok.decode(ids);

  const env = new dl.rl.CartPole();
  const obs: Float32Array = env.reset(0);
  const step = env.step(1);
  const done: boolean = step.terminated || step.truncated;
  const r: number = step.reward;
  const frame: dl.rl.Frame = env.render();
  const buf = new dl.rl.ReplayBuffer(100);
  buf.push({ observation: obs, action: 1, reward: r, nextObservation: step.observation, terminated: done });

  await dl.save(sd, "/tmp/model.safetensors");
  const loaded: Record<string, dl.Tensor> = await dl.load("/tmp/model.safetensors");
  const bytes: Uint8Array = await dl.io.toSafetensors(sd);
  const back: Record<string, dl.Tensor> = dl.io.fromSafetensors(bytes);

  const view: dl.viz.TensorDisplayOptions = { as: "table" };
  dl.viz.tensor(x, view);
  dl.viz.tensor(x, { as: "heatmap" });
  // @ts-expect-error not a tensor view
  dl.viz.tensor(x, { as: "pie" });
  const plot = dl.viz.livePlot({ title: "loss" });
  plot.push(1, { loss: 0.5, acc: 0.9 });
  for (const i of dl.viz.progress([1, 2, 3], { total: 3 })) plot.push(i, { loss: i });
  dl.viz.attention(x, { xLabels: ["a"], yLabels: ["b"] });
  dl.viz.embedding(x, { labels: [0, 1, 0, 1] });
  const acts = dl.viz.activations(lin, x).layers;
  const hist: Record<string, number[]> = await dl.fit(lin, {
    train: [[x, x] as const],
    loss: new dl.nn.MSELoss(),
    optimizer: opt,
    epochs: 1,
  });
  void [steps, rows, data, s, y, a, b, g, dev, info, mem, conv, out, seq, h, hn, cn, ln, bn, mha, enc, ce];
  void [attn, named, norm, len, text, frame, loaded, back, acts];
  void [trOut, encStack, ph, unpacked, lengths, bag, tfidf, word, phonemes, bos];
  return n + hist.loss[0];
}
`;

type TS = typeof ts;

function compile(source: string, tsc: TS = ts) {
  const file = join(root, "dist", "api-typings-probe.ts");
  const options: ts.CompilerOptions = {
    module: tsc.ModuleKind.ESNext,
    moduleResolution: tsc.ModuleResolutionKind.Bundler,
    target: tsc.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts"],
    types: ["node"],
    typeRoots: [join(root, "node_modules", "@types")],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    paths: { dendrite: [entry] },
  };
  const host = tsc.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (f) => (resolve(f) === file ? source : readFile(f));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (f) => resolve(f) === file || fileExists(f);
  const program = tsc.createProgram([file], options, host);
  const diagnostics = tsc.getPreEmitDiagnostics(program).map((d) => {
    const line = d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1 : 0;
    return `${line}: ${tsc.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
  return { program, file, diagnostics };
}

const describeBuilt = describe.skipIf(!existsSync(entry));

describeBuilt("published typings (dist/src/index.d.ts)", () => {
  // Compiled on first use, so a skipped suite (no build) costs nothing.
  let compiled: ReturnType<typeof compile> | undefined;
  const current = () => (compiled ??= compile(USER_PROGRAM));

  it("a program using api.md's surface type-checks, and misspelt options are errors", () => {
    expect(current().diagnostics).toEqual([]);
  });

  it("the same under tslab's TypeScript 5.0 (what notebook cells are checked with)", () => {
    const old = loadTslab().ts as unknown as TS;
    expect(old.version.startsWith("5.0")).toBe(true);
    expect(compile(USER_PROGRAM, old).diagnostics).toEqual([]);
  });

  it("no exported value, namespace member or constructor parameter is typed any", () => {
    const { program, file } = current();
    const checker = program.getTypeChecker();
    const probe = program.getSourceFile(file)!;
    const importDecl = probe.statements.find(ts.isImportDeclaration)!;
    const moduleSymbol = checker.getSymbolAtLocation(importDecl.moduleSpecifier)!;
    const anyTyped: string[] = [];
    const visited: string[] = [];
    const isAny = (t: ts.Type) => (t.flags & ts.TypeFlags.Any) !== 0;
    const visit = (sym: ts.Symbol, path: string, depth: number) => {
      for (const exp of checker.getExportsOfModule(sym)) {
        const target = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp;
        const name = `${path}.${exp.name}`;
        visited.push(name);
        if (target.flags & ts.SymbolFlags.Module) {
          if (depth < 3) visit(target, name, depth + 1);
          continue;
        }
        if (!(target.flags & ts.SymbolFlags.Value)) continue;
        const type = checker.getTypeOfSymbolAtLocation(target, importDecl);
        if (isAny(type)) anyTyped.push(name);
        const signatures = [
          ...type.getConstructSignatures(),
          ...(target.flags & ts.SymbolFlags.Function ? type.getCallSignatures() : []),
        ];
        for (const sig of signatures)
          for (const p of sig.getParameters()) {
            const pt = checker.getTypeOfSymbolAtLocation(p, importDecl);
            if (isAny(pt)) anyTyped.push(`${name}(${p.name})`);
          }
      }
    };
    visit(moduleSymbol, "dl", 0);
    for (const name of ["dl.nn.Conv2d", "dl.nn.functional.conv2d", "dl.optim.lrScheduler.StepLR"])
      expect(visited).toContain(name);
    expect(anyTyped).toEqual([]);
  });
});
