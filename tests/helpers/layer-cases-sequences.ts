// Layer cases for variable-length sequences and stacks (run on every device beside
// layer-cases.ts by tests/nn/modules-on-devices.test.ts): the Transformer with both stacks and
// their final norms, EmbeddingBag's sum and max, and LSTM/GRU on a PackedSequence.
import * as dl from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { moduleCase, type NamedCase } from "./module-check.js";

const { nn } = dl;
const { packPaddedSequence, padPackedSequence } = dl.nn.utils.rnn;
const randn = (...shape: number[]) => dl.randn(shape);
const ints = (data: number[]) => dl.tensor(data, { dtype: "int32" });
const bools = (shape: number[], data: number[]) => dl.tensor(data, { shape, dtype: "bool" });
const bagIndices = () => ints([1, 4, 4, 0, 2, 5, 3]);

/** Packs x [4, 3, 3] with unsorted lengths, runs m, returns the padded output and final h. */
function packedRun(m: dl.nn.LSTM | dl.nn.GRU, x: Tensor) {
  const packed = packPaddedSequence(x, [2, 4, 1], { enforceSorted: false });
  const [y, h] = (m as dl.nn.GRU).forward(packed);
  return [padPackedSequence(y)[0], h];
}

export const SEQUENCE_LAYER_CASES: NamedCase[] = [
  moduleCase("Transformer (encoder and decoder stacks, final norms, masks)", {
    build: () =>
      new nn.Transformer({
        dModel: 4,
        nhead: 2,
        numEncoderLayers: 2,
        numDecoderLayers: 1,
        dimFeedforward: 6,
        dropout: 0,
      }),
    inputs: () => [randn(3, 2, 4), randn(2, 2, 4), bools([2, 3], [0, 0, 1, 0, 0, 0])],
    forward: (m, [src, tgt, kpm]) =>
      m.forward(src, tgt, { tgtIsCausal: true, srcKeyPaddingMask: kpm, memoryKeyPaddingMask: kpm }),
  }),
  moduleCase("EmbeddingBag sum, offsets, per-sample weights, padding", {
    build: () => new nn.EmbeddingBag(6, 3, { mode: "sum", paddingIdx: 2 }),
    inputs: () => [bagIndices(), randn(7)],
    forward: (m, [i, w]) => m.forward(i, { offsets: [0, 3, 3, 5], perSampleWeights: w }),
  }),
  moduleCase("EmbeddingBag max with an empty bag", {
    build: () => new nn.EmbeddingBag(6, 3, { mode: "max" }),
    inputs: () => [bagIndices()],
    forward: (m, [i]) => m.forward(i, { offsets: [0, 2, 2, 6] }),
  }),
  moduleCase("LSTM on a PackedSequence (unsorted, two layers, bidirectional)", {
    build: () => new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true }),
    inputs: () => [randn(4, 3, 3)],
    forward: (m, [x]) => packedRun(m, x),
  }),
  moduleCase("GRU on a PackedSequence (unsorted, bidirectional)", {
    build: () => new nn.GRU(3, 4, { bidirectional: true }),
    inputs: () => [randn(4, 3, 3)],
    forward: (m, [x]) => packedRun(m, x),
  }),
];
