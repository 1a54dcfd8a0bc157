// TransformerEncoder, TransformerDecoder and Transformer against values recorded from PyTorch
// 1.13 (tests/nn/recorders/transformer_stacks.py prints them), their state-dict keys, the
// cloning of the layer they are given, masks and misuse.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { expectClose, fillLikeRecording, nums, sinTensor } from "../helpers/recorded.js";

const nn = dl.nn;
const RECORDED = {
  encStack: nums(`
    0.2841601 -0.06274583 -0.09498807 -0.002263354 -0.4212321 -0.453055 -0.2764061
    -0.6222585 0.2746811 -0.08141493 -0.09125781 -0.04989894 -0.4112315 -0.5279515
    -0.1613115 -0.5719057 0.348717 -0.0615662 0.01316985 0.000561253 -0.4114238 -0.5055176
    -0.1620172 -0.3461548 0.3780465 -0.005789315 0.02820791 0.02492077 -0.4033998 -0.4925405
    -0.1031843 -0.2581943 0.317339 -0.03628949 -0.06568086 0.01545692 -0.4180659 -0.4686817
    -0.2150654 -0.5120101 0.2723561 -0.0795588 -0.1099386 -0.04010119 -0.4165844 -0.4970598
    -0.2155938 -0.6431092
  `),
  decStack: nums(`
    1.149717 -0.8331052 1.781005 -1.888083 2.884828 -1.988089 3.969698 -2.043314 2.131126
    0.5019919 2.905839 -1.193564 2.666094 -2.696753 2.667461 -3.019541 1.526577 0.6154422
    3.765863 0.1108011 3.888767 -1.859421 2.640563 -3.655813 0.2871081 -0.4179727 2.911843
    0.1732501 4.487592 -0.5911288 3.844482 -2.732062 0.4536591 -1.107591 1.69876 -1.348026
    3.420671 -1.161825 4.305763 -1.811325 1.730787 -0.007520781 2.141838 -1.662732 2.419521
    -2.483825 3.145947 -2.438615
  `),
  transformerPost: nums(`
    -0.3696127 0.08764152 0.3210105 0.3405359 0.388265 0.4126851 0.4503472 1.081492
    -0.372066 0.0894976 0.3481483 0.3203431 0.3856704 0.4482653 0.3495998 1.080561
    -0.3244146 0.1079612 0.3613011 0.3746621 0.3828602 0.461185 0.4466881 1.055314
    -0.3153086 0.08226402 0.3250032 0.3949913 0.383377 0.4251043 0.5066226 1.067661
    -0.336898 0.0769758 0.3159155 0.3710517 0.3858665 0.4162186 0.4760177 1.08221 -0.3840924
    0.08763637 0.3330004 0.3228098 0.3871289 0.4254496 0.3853943 1.089564
  `),
  transformerPre: nums(`
    -0.3274084 0.02812859 0.0313822 0.36778 0.4648799 0.06997633 0.6674187 -0.3308705
    -0.1285397 0.05399547 -0.000755117 0.3375693 0.4936502 0.1420013 0.5558071 -0.4856195
    0.1635437 0.2965388 0.08595167 0.3430005 0.5298923 0.2747491 0.7870485 -0.3225138
    0.08689539 0.4032811 0.1746889 0.3758345 0.5086143 0.2908664 0.9746123 -0.01603061
    -0.2862585 0.1304135 0.0878049 0.3849076 0.4706507 0.09765345 0.8370344 -0.1979709
    -0.2572061 -0.005240317 0.001117275 0.3479387 0.4727449 0.09333146 0.552172 -0.4389844
  `),
};
const ENC_KEYS =
  "layers.0.self_attn.in_proj_weight layers.0.self_attn.in_proj_bias layers.0.self_attn.out_proj.weight layers.0.self_attn.out_proj.bias layers.0.linear1.weight layers.0.linear1.bias layers.0.linear2.weight layers.0.linear2.bias layers.0.norm1.weight layers.0.norm1.bias layers.0.norm2.weight layers.0.norm2.bias layers.1.self_attn.in_proj_weight layers.1.self_attn.in_proj_bias layers.1.self_attn.out_proj.weight layers.1.self_attn.out_proj.bias layers.1.linear1.weight layers.1.linear1.bias layers.1.linear2.weight layers.1.linear2.bias layers.1.norm1.weight layers.1.norm1.bias layers.1.norm2.weight layers.1.norm2.bias norm.weight norm.bias".split(
    " ",
  );
const DEC_KEYS =
  "layers.0.self_attn.in_proj_weight layers.0.self_attn.in_proj_bias layers.0.self_attn.out_proj.weight layers.0.self_attn.out_proj.bias layers.0.multihead_attn.in_proj_weight layers.0.multihead_attn.in_proj_bias layers.0.multihead_attn.out_proj.weight layers.0.multihead_attn.out_proj.bias layers.0.linear1.weight layers.0.linear1.bias layers.0.linear2.weight layers.0.linear2.bias layers.0.norm1.weight layers.0.norm1.bias layers.0.norm2.weight layers.0.norm2.bias layers.0.norm3.weight layers.0.norm3.bias layers.1.self_attn.in_proj_weight layers.1.self_attn.in_proj_bias layers.1.self_attn.out_proj.weight layers.1.self_attn.out_proj.bias layers.1.multihead_attn.in_proj_weight layers.1.multihead_attn.in_proj_bias layers.1.multihead_attn.out_proj.weight layers.1.multihead_attn.out_proj.bias layers.1.linear1.weight layers.1.linear1.bias layers.1.linear2.weight layers.1.linear2.bias layers.1.norm1.weight layers.1.norm1.bias layers.1.norm2.weight layers.1.norm2.bias layers.1.norm3.weight layers.1.norm3.bias".split(
    " ",
  );
const TRANSFORMER_KEYS =
  `encoder.layers.0.self_attn.in_proj_weight encoder.layers.0.self_attn.in_proj_bias encoder.layers.0.self_attn.out_proj.weight encoder.layers.0.self_attn.out_proj.bias encoder.layers.0.linear1.weight encoder.layers.0.linear1.bias encoder.layers.0.linear2.weight encoder.layers.0.linear2.bias encoder.layers.0.norm1.weight encoder.layers.0.norm1.bias encoder.layers.0.norm2.weight encoder.layers.0.norm2.bias encoder.layers.1.self_attn.in_proj_weight encoder.layers.1.self_attn.in_proj_bias encoder.layers.1.self_attn.out_proj.weight encoder.layers.1.self_attn.out_proj.bias encoder.layers.1.linear1.weight encoder.layers.1.linear1.bias encoder.layers.1.linear2.weight encoder.layers.1.linear2.bias encoder.layers.1.norm1.weight encoder.layers.1.norm1.bias encoder.layers.1.norm2.weight encoder.layers.1.norm2.bias encoder.norm.weight encoder.norm.bias decoder.layers.0.self_attn.in_proj_weight decoder.layers.0.self_attn.in_proj_bias decoder.layers.0.self_attn.out_proj.weight decoder.layers.0.self_attn.out_proj.bias decoder.layers.0.multihead_attn.in_proj_weight decoder.layers.0.multihead_attn.in_proj_bias decoder.layers.0.multihead_attn.out_proj.weight decoder.layers.0.multihead_attn.out_proj.bias decoder.layers.0.linear1.weight decoder.layers.0.linear1.bias decoder.layers.0.linear2.weight decoder.layers.0.linear2.bias decoder.layers.0.norm1.weight decoder.layers.0.norm1.bias decoder.layers.0.norm2.weight decoder.layers.0.norm2.bias decoder.layers.0.norm3.weight decoder.layers.0.norm3.bias decoder.norm.weight decoder.norm.bias`.split(
    " ",
  );

const bools = (rows: boolean[][]) => dl.tensor(rows);
const F = false;
const T = true;
const flat = (t: dl.Tensor) => t.contiguous().dataSync();

describe("TransformerEncoder / TransformerDecoder", () => {
  it("match PyTorch: two post-norm encoder layers, a final norm, causal mask and padding", () => {
    const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0 });
    const enc = new nn.TransformerEncoder(layer, 2, { norm: new nn.LayerNorm(8) });
    expect(Object.keys(enc.stateDict())).toEqual(ENC_KEYS);
    fillLikeRecording(enc);
    const out = enc.forward(sinTensor([3, 2, 8], 21), {
      mask: nn.Transformer.generateSquareSubsequentMask(3),
      srcKeyPaddingMask: bools([
        [F, F, T],
        [F, F, F],
      ]),
    });
    expect(out.shape).toEqual([3, 2, 8]);
    expectClose(flat(out), RECORDED.encStack);
  });

  it("match PyTorch: two pre-norm gelu batch-first decoder layers with every padding mask", () => {
    const layer = new nn.TransformerDecoderLayer(8, 2, {
      dimFeedforward: 16,
      dropout: 0,
      activation: "gelu",
      batchFirst: true,
      normFirst: true,
    });
    const dec = new nn.TransformerDecoder(layer, 2);
    expect(dec.norm).toBeNull();
    expect(Object.keys(dec.stateDict())).toEqual(DEC_KEYS);
    fillLikeRecording(dec);
    const out = dec.forward(sinTensor([2, 3, 8], 22), sinTensor([2, 4, 8], 23), {
      tgtMask: dl.ones([3, 3]).triu(1).gt(0),
      tgtKeyPaddingMask: bools([
        [F, F, F],
        [F, F, T],
      ]),
      memoryKeyPaddingMask: bools([
        [F, F, F, T],
        [F, F, F, F],
      ]),
    });
    expectClose(flat(out), RECORDED.decStack);
  });

  it("clone the given layer: equal weights at first, independent storage", () => {
    dl.manualSeed(3);
    const layer = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8 });
    const enc = new nn.TransformerEncoder(layer, 3);
    const [a, b] = [0, 1].map((i) => enc.layers.at(i) as dl.nn.TransformerEncoderLayer);
    expect(a).not.toBe(layer);
    expect(a).toBeInstanceOf(nn.TransformerEncoderLayer);
    expect([...a.linear1.weight.dataSync()]).toEqual([...layer.linear1.weight.dataSync()]);
    expect(a.normFirst).toBe(layer.normFirst);
    a.linear1.weight.dispose();
    a.linear1.weight = new nn.Parameter(dl.zeros([8, 4]));
    expect([...b.linear1.weight.dataSync()]).toEqual([...layer.linear1.weight.dataSync()]);
    expect(enc.parameters().length).toBe(3 * layer.parameters().length);
    // Gradients reach every layer's own parameters.
    enc
      .forward(dl.randn([2, 1, 4]))
      .sum()
      .backward();
    expect(b.self_attn.in_proj_weight!.grad).not.toBeNull();
    expect(layer.self_attn.in_proj_weight!.grad).toBeNull();
  });

  it("accept a factory called once per layer", () => {
    const seen: number[] = [];
    const dec = new nn.TransformerDecoder((i) => {
      seen.push(i);
      return new nn.TransformerDecoderLayer(4, 1, { dimFeedforward: 4 });
    }, 2);
    expect(seen).toEqual([0, 1]);
    expect(dec.layers.length).toBe(2);
  });

  it("reject misuse with the stack's name", () => {
    const layer = new nn.TransformerEncoderLayer(4, 2);
    expect(() => new nn.TransformerEncoder(layer, 0)).toThrow(/TransformerEncoder.*numLayers/);
    expect(
      () => new nn.TransformerDecoder(layer as unknown as dl.nn.TransformerDecoderLayer, 2),
    ).toThrow(/TransformerDecoder.*TransformerDecoderLayer.*TransformerEncoderLayer/);
  });
});

describe("Transformer", () => {
  it("has PyTorch's state-dict keys and defaults", () => {
    const small = new nn.Transformer({
      dModel: 8,
      nhead: 2,
      numEncoderLayers: 2,
      numDecoderLayers: 1,
      dimFeedforward: 16,
    });
    expect(Object.keys(small.stateDict())).toEqual(TRANSFORMER_KEYS);
    const big = new nn.Transformer();
    const keys = Object.keys(big.stateDict());
    expect(keys.filter((k) => k.endsWith("linear1.weight")).length).toBe(12);
    expect(big.stateDict()["encoder.layers.5.linear1.weight"].shape).toEqual([2048, 512]);
    expect(big.numParameters()).toBe(44140544); // sum(p.numel()) of torch.nn.Transformer()
  });

  it("re-draws matrix weights after cloning, so layers differ (as PyTorch's reset)", () => {
    dl.manualSeed(4);
    const m = new nn.Transformer({ dModel: 4, nhead: 2, numEncoderLayers: 2, dimFeedforward: 4 });
    const sd = m.stateDict();
    const w0 = [...sd["encoder.layers.0.linear1.weight"].dataSync()];
    expect([...sd["encoder.layers.1.linear1.weight"].dataSync()]).not.toEqual(w0);
    expect([...sd["encoder.norm.weight"].dataSync()]).toEqual([1, 1, 1, 1]);
    expect([...sd["decoder.layers.0.linear1.bias"].dataSync()].some((v) => v !== 0)).toBe(true);
  });

  it("matches PyTorch: post-norm, seq-first, causal target and padding masks", () => {
    const m = new nn.Transformer({
      dModel: 8,
      nhead: 2,
      numEncoderLayers: 2,
      numDecoderLayers: 1,
      dimFeedforward: 16,
      dropout: 0,
    });
    fillLikeRecording(m);
    const pad = bools([
      [F, F, F, T],
      [F, F, F, F],
    ]);
    const out = m.forward(sinTensor([4, 2, 8], 24), sinTensor([3, 2, 8], 25), {
      tgtMask: nn.Transformer.generateSquareSubsequentMask(3),
      srcKeyPaddingMask: pad,
      memoryKeyPaddingMask: pad,
    });
    expect(out.shape).toEqual([3, 2, 8]);
    expectClose(flat(out), RECORDED.transformerPost);
    const viaFlag = m.forward(sinTensor([4, 2, 8], 24), sinTensor([3, 2, 8], 25), {
      tgtIsCausal: true,
      srcKeyPaddingMask: pad,
      memoryKeyPaddingMask: pad,
    });
    expectClose(flat(viaFlag), RECORDED.transformerPost);
  });

  it("matches PyTorch: pre-norm, gelu, batch-first, a memory mask", () => {
    const m = new nn.Transformer({
      dModel: 8,
      nhead: 2,
      numEncoderLayers: 1,
      numDecoderLayers: 2,
      dimFeedforward: 16,
      dropout: 0,
      activation: "gelu",
      batchFirst: true,
      normFirst: true,
    });
    fillLikeRecording(m);
    const out = m.forward(sinTensor([2, 4, 8], 26), sinTensor([2, 3, 8], 27), {
      memoryMask: bools([
        [F, F, T, T],
        [F, F, F, T],
        [F, F, F, F],
      ]),
      tgtMask: nn.Transformer.generateSquareSubsequentMask(3),
    });
    expect(out.shape).toEqual([2, 3, 8]);
    expectClose(flat(out), RECORDED.transformerPre);
  });

  it("generateSquareSubsequentMask: 0 on and below the diagonal, -inf above", () => {
    expect(nn.Transformer.generateSquareSubsequentMask(3).toArraySync()).toEqual([
      [0, -Infinity, -Infinity],
      [0, 0, -Infinity],
      [0, 0, 0],
    ]);
  });

  it("uses custom encoder and decoder stacks", () => {
    const encoder = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(4, 2), 1);
    const m = new nn.Transformer({ dModel: 4, nhead: 2, customEncoder: encoder });
    expect(m.encoder).toBe(encoder);
    expect(Object.keys(m.stateDict()).some((k) => k.startsWith("encoder.norm"))).toBe(false);
  });

  it("names mismatched batch and feature sizes", () => {
    const m = new nn.Transformer({ dModel: 4, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1 });
    expect(() => m.forward(dl.zeros([3, 2, 4]), dl.zeros([3, 5, 4]))).toThrow(
      /Transformer.*batch sizes.*src \[3, 2, 4\], tgt \[3, 5, 4\]/,
    );
    expect(() => m.forward(dl.zeros([3, 2, 4]), dl.zeros([3, 2, 6]))).toThrow(
      /Transformer.*dModel 4/,
    );
  });
});
