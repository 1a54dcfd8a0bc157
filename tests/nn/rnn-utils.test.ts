// nn.utils.rnn: padSequence, packPaddedSequence, padPackedSequence and packSequence against
// values recorded from PyTorch 1.13 (tests/nn/recorders/rnn_utils.py), and RNN, LSTM and GRU
// on a PackedSequence: outputs and final states equal to running every sequence alone.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { expectClose } from "../helpers/recorded.js";

const { padSequence, packPaddedSequence, padPackedSequence, packSequence } = dl.nn.utils.rnn;
const a = dl.tensor([
  [1, 2],
  [3, 4],
  [5, 6],
]);
const b = dl.tensor([[7, 8]]);
const c = dl.tensor([
  [9, 10],
  [11, 12],
]);
const ints = (t: Tensor | null) => (t ? [...t.dataSync()] : null);

describe("padSequence / packPaddedSequence / padPackedSequence (PyTorch's values)", () => {
  it("pads to the longest sequence, batch-first or time-major", () => {
    expect(padSequence([a, b, c], { batchFirst: true, paddingValue: -1 }).toArraySync()).toEqual([
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      [
        [7, 8],
        [-1, -1],
        [-1, -1],
      ],
      [
        [9, 10],
        [11, 12],
        [-1, -1],
      ],
    ]);
    expect(padSequence([a, b, c]).shape).toEqual([3, 3, 2]);
  });

  it("packs an unsorted batch and unpacks it in the original order", () => {
    const padded = padSequence([a, b, c], { batchFirst: true, paddingValue: -1 });
    const p = packPaddedSequence(padded, [3, 1, 2], { batchFirst: true, enforceSorted: false });
    expect(p.data.toArraySync()).toEqual([
      [1, 2],
      [9, 10],
      [7, 8],
      [3, 4],
      [11, 12],
      [5, 6],
    ]);
    expect([ints(p.batchSizes), ints(p.sortedIndices), ints(p.unsortedIndices)]).toEqual([
      [3, 2, 1],
      [0, 2, 1],
      [0, 2, 1],
    ]);
    const [out, lengths] = padPackedSequence(p, {
      batchFirst: true,
      paddingValue: 9,
      totalLength: 4,
    });
    expect(out.toArraySync()).toEqual([
      [
        [1, 2],
        [3, 4],
        [5, 6],
        [9, 9],
      ],
      [
        [7, 8],
        [9, 9],
        [9, 9],
        [9, 9],
      ],
      [
        [9, 10],
        [11, 12],
        [9, 9],
        [9, 9],
      ],
    ]);
    expect(ints(lengths)).toEqual([3, 1, 2]);
  });

  it("packSequence of sorted sequences records no permutation", () => {
    const q = packSequence([a, c, b]);
    expect(q.data.toArraySync()).toEqual([
      [1, 2],
      [9, 10],
      [7, 8],
      [3, 4],
      [11, 12],
      [5, 6],
    ]);
    expect([ints(q.batchSizes), q.sortedIndices, q.unsortedIndices]).toEqual([
      [3, 2, 1],
      null,
      null,
    ]);
  });

  it("sends gradients back through packing and unpacking", () => {
    const x = dl.randn([3, 2, 2], { requiresGrad: true });
    const p = packPaddedSequence(x, dl.tensor([1, 3], { dtype: "int32" }), {
      enforceSorted: false,
    });
    padPackedSequence(p)[0].sum().backward();
    expect(x.grad!.toArraySync()).toEqual([
      [
        [1, 1],
        [1, 1],
      ],
      [
        [0, 0],
        [1, 1],
      ],
      [
        [0, 0],
        [1, 1],
      ],
    ]);
  });

  it("rejects misuse with clear messages", () => {
    const padded = padSequence([a, b, c], { batchFirst: true });
    expect(() => packPaddedSequence(padded, [3, 1, 2], { batchFirst: true })).toThrow(
      /packPaddedSequence.*decreasing order.*enforceSorted: false/,
    );
    expect(() => packPaddedSequence(padded, [3, 1], { batchFirst: true })).toThrow(
      /expected 3 lengths/,
    );
    expect(() => packPaddedSequence(padded, [4, 1, 0], { batchFirst: true })).toThrow(
      /integer >= 1/,
    );
    expect(() => packPaddedSequence(padded, [4, 2, 1], { batchFirst: true })).toThrow(
      /length of 4 exceeds the 3 steps.*\[3, 3, 2\]/,
    );
    expect(() => padSequence([a, dl.zeros([2, 3])])).toThrow(/padSequence.*\[3, 2\].*\[2, 3\]/);
    const p = packSequence([a, b]);
    expect(() => padPackedSequence(p, { totalLength: 2 })).toThrow(/totalLength.*3/);
  });
});

// Sequences of lengths 2, 5, 3, 1 (unsorted), 3 features.
function sequences(): Tensor[] {
  dl.manualSeed(11);
  return [2, 5, 3, 1].map((n) => dl.randn([n, 3]));
}

type AnyRnn = dl.nn.RNN | dl.nn.GRU | dl.nn.LSTM;

/** Runs `m` on one unbatched sequence; returns [output [L, D·H], final states]. */
function alone(m: AnyRnn, seq: Tensor, h0: Tensor[] | null, i: number): [Tensor, Tensor[]] {
  const init = h0?.map((h) => h.select(1, i));
  if (m instanceof dl.nn.LSTM) {
    const [y, [h, c]] = m.forward(seq, init as [Tensor, Tensor] | undefined);
    return [y, [h, c]];
  }
  const [y, h] = (m as dl.nn.GRU).forward(seq, init?.[0]);
  return [y, [h]];
}

function packedRun(m: AnyRnn, p: dl.nn.utils.rnn.PackedSequence, h0: Tensor[] | null) {
  if (m instanceof dl.nn.LSTM) {
    const [y, [h, c]] = m.forward(p, h0 as [Tensor, Tensor] | undefined);
    return { y, states: [h, c] };
  }
  const [y, h] = (m as dl.nn.GRU).forward(p, h0?.[0]);
  return { y, states: [h] };
}

describe("RNN, LSTM and GRU on a PackedSequence", () => {
  const builds: [string, () => AnyRnn][] = [
    ["RNN", () => new dl.nn.RNN(3, 4, { numLayers: 2 })],
    ["LSTM", () => new dl.nn.LSTM(3, 4, { numLayers: 2, bidirectional: true })],
    ["GRU", () => new dl.nn.GRU(3, 4, { bidirectional: true, batchFirst: true })],
  ];
  for (const [name, build] of builds)
    for (const withH0 of [false, true])
      it(`${name}${withH0 ? " with h0" : ""}: each sequence as if run alone`, () => {
        const seqs = sequences();
        const m = build();
        const rows = m.numLayers * (m.bidirectional ? 2 : 1);
        const h0 = withH0
          ? Array.from({ length: name === "LSTM" ? 2 : 1 }, () => dl.randn([rows, 4, 4]))
          : null;
        const padded = padSequence(seqs, { batchFirst: m.batchFirst });
        const lengths = seqs.map((s) => s.shape[0]);
        const packed = packPaddedSequence(padded, lengths, {
          batchFirst: m.batchFirst,
          enforceSorted: false,
        });
        const { y, states } = packedRun(m, packed, h0);
        const [out, outLengths] = padPackedSequence(y, { batchFirst: m.batchFirst });
        expect(ints(outLengths)).toEqual(lengths);
        const width = 4 * (m.bidirectional ? 2 : 1);
        expect(out.shape).toEqual(m.batchFirst ? [4, 5, width] : [5, 4, width]);
        seqs.forEach((seq, i) => {
          const [yAlone, statesAlone] = alone(m, seq, h0, i);
          const mine = (m.batchFirst ? out.select(0, i) : out.select(1, i)).narrow(
            0,
            0,
            lengths[i],
          );
          expectClose(mine.contiguous().dataSync(), yAlone.dataSync(), 1e-5);
          states.forEach((s, j) =>
            expectClose(s.select(1, i).contiguous().dataSync(), statesAlone[j].dataSync(), 1e-5),
          );
        });
      });

  it("gradients match the per-sequence runs", () => {
    const seqs = sequences();
    const m = new dl.nn.GRU(3, 4, { bidirectional: true });
    const packed = packSequence(seqs, { enforceSorted: false });
    const weight = () => Object.fromEntries(m.namedParameters())["weight_hh_l0_reverse"];
    const [y, h] = m.forward(packed);
    y.data.sum().add(h.sum()).backward();
    const packedGrad = weight().grad!.dataSync().slice();
    m.zeroGrad();
    let total = dl.tensor(0);
    for (const s of seqs) {
      const [ys, hs] = m.forward(s);
      total = total.add(ys.sum()).add(hs.sum());
    }
    total.backward();
    expectClose(packedGrad, weight().grad!.dataSync(), 1e-4);
  });

  it("names a PackedSequence with the wrong feature size", () => {
    const p = packSequence([dl.zeros([2, 5])]);
    expect(() => new dl.nn.LSTM(3, 4).forward(p)).toThrow(/LSTM.*PackedSequence.*\[2, 5\]/);
  });
});
