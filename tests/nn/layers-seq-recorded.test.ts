// RNN, LSTM and GRU layers and cells against values recorded from PyTorch, with PyTorch's
// parameter names and reprs.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { expectClose, fillLikeRecording, nums, sinTensor } from "../helpers/recorded.js";

// Recorded with PyTorch 1.13.1 (Debian python3-torch), float64, parameters filled in
// state_dict order j by 0.4·sin(0.37·i + 1.1·j + 0.3) (i the flat index) and inputs by
// sin(0.61·i + seed), both rounded to float32 first:
//   lstm: nn.LSTM(3, 4, num_layers=2, bidirectional=True, batch_first=True)(x[2,3,3] seed 0)
//   gru:  nn.GRU(3, 4)(x[3,2,3] seed 1, h0[1,2,4] seed 2)
//   rnn:  nn.RNN(3, 4, nonlinearity="relu", num_layers=2)(x[3,2,3] seed 3)
const RECORDED = {
  lstm: {
    out: nums(`
      0.09169047 0.04864208 0.008306779 -0.004956407 0.02742582 0.2314111 0.03622751 0.2833648
      0.1318978 0.07750033 0.004704283 0.01291586 0.03485852 0.1942615 0.06562909 0.2103246
      0.1698205 0.0694277 0.02971567 -0.008135053 0.04408552 0.1151093 0.09344849 0.1175578
      0.1046205 0.03380056 0.02831177 -0.02690449 0.04173442 0.2166024 0.03827144 0.287134
      0.1403117 0.06683264 0.01794648 -0.004473318 0.02274649 0.2036491 0.0576451 0.2201045
      0.1823508 0.05950039 0.04316834 -0.02037078 0.0339862 0.1231158 0.08579277 0.1241343
    `),
    h: nums(`
      -0.0489858 0.01986967 0.2080189 0.1856526 -0.0593313 -0.01568189 0.1393999 0.1997276
      -0.04057146 -0.2231207 -0.3996241 -0.4394385 -0.1947806 -0.2135429 -0.2653414 -0.2600027
      0.1698205 0.0694277 0.02971567 -0.008135053 0.1823508 0.05950039 0.04316834 -0.02037078
      0.02742582 0.2314111 0.03622751 0.2833648 0.04173442 0.2166024 0.03827144 0.287134
    `),
    c: nums(`
      -0.1179888 0.03839786 0.2798451 0.2283995 -0.1082872 -0.02570072 0.1938537 0.279664
      -0.09533261 -0.4681929 -0.8698359 -0.8981992 -0.3968564 -0.6184545 -0.8568818 -0.490255
      0.4394875 0.2025605 0.09051556 -0.02234017 0.4744307 0.1722935 0.1333206 -0.05538647
      0.04234876 0.3570028 0.07079812 0.5836666 0.06510801 0.3273002 0.07740711 0.5647001
    `),
  },
  gru: {
    out: nums(`
      0.002544399 -0.1130517 -0.3123516 -0.1273078 -0.3950564 -0.2247983 0.03300261 0.1914602
      -0.1529956 0.3174222 0.4316108 0.09438502 -0.4400014 -0.5517935 -0.1102222 0.3365592
      -0.02224497 -0.1866014 -0.1028326 0.1504728 -0.294516 0.2839863 0.5063437 0.2348354
    `),
    h: nums(`
      -0.02224497 -0.1866014 -0.1028326 0.1504728 -0.294516 0.2839863 0.5063437 0.2348354
    `),
  },
  rnn: {
    out: nums(`
      0.6271192 0.6816259 0.6438777 0.5189837 0.6271192 0.6816259 0.6438777 0.5189837 0.1718972
      1.629927 1.271068 0 0.5508255 1.602971 0.887251 0 0.6398694 1.899302 0.8519447 0 0.3709611
      1.826895 1.107723 0
    `),
    h: nums(`
      0 0 0 0.05929681 0.4288304 0 0 0 0.6398694 1.899302 0.8519447 0 0.3709611 1.826895
      1.107723 0
    `),
  },
};

describe("RNN / LSTM / GRU against values recorded from PyTorch", () => {
  it("LSTM, 2 layers, bidirectional, batchFirst", () => {
    const m = new dl.nn.LSTM(3, 4, { numLayers: 2, bidirectional: true, batchFirst: true });
    fillLikeRecording(m);
    const [out, [h, c]] = m.forward(sinTensor([2, 3, 3], 0));
    expectClose(out.contiguous().dataSync(), RECORDED.lstm.out, 1e-5);
    expectClose(h.dataSync(), RECORDED.lstm.h, 1e-5);
    expectClose(c.dataSync(), RECORDED.lstm.c, 1e-5);
  });

  it("GRU with an initial state", () => {
    const m = new dl.nn.GRU(3, 4);
    fillLikeRecording(m);
    const [out, h] = m.forward(sinTensor([3, 2, 3], 1), sinTensor([1, 2, 4], 2));
    expectClose(out.dataSync(), RECORDED.gru.out, 1e-5);
    expectClose(h.dataSync(), RECORDED.gru.h, 1e-5);
  });

  it("RNN with relu, 2 layers", () => {
    const m = new dl.nn.RNN(3, 4, { nonlinearity: "relu", numLayers: 2 });
    fillLikeRecording(m);
    const [out, h] = m.forward(sinTensor([3, 2, 3], 3));
    expectClose(out.dataSync(), RECORDED.rnn.out, 1e-5);
    expectClose(h.dataSync(), RECORDED.rnn.h, 1e-5);
  });
});

// Recorded like the values above: nn.LSTMCell(3, 4)(x[2,3] s20, (h[2,4] s21, c[2,4] s22)),
// nn.GRUCell(3, 4)(x[2,3] s20, h[2,4] s21), nn.RNNCell(3, 4, nonlinearity="relu")(x[3] s20).
const RECORDED_CELLS = {
  lstm_cell: {
    h: nums(`
      -0.1752617 -0.4311229 -0.3475189 -0.1278574 -0.1221645 -0.01818153 0.4780117 0.5520995
    `),
    c: nums(`
      -0.2203618 -0.5735748 -0.6561637 -0.4307633 -0.2893956 -0.04082981 0.7095772 0.7700225
    `),
  },
  gru_cell: {
    h: nums(`
      -0.1151654 -0.1823086 -0.3547449 -0.1975463 -0.4063622 -0.09364182 0.1595044 0.2650222
    `),
  },
  rnn_cell: {
    h: nums(`
      0.6546633 0.7906086 0 0
    `),
  },
};

describe("RNNCell / LSTMCell / GRUCell", () => {
  it("have PyTorch's parameter names and match values recorded from PyTorch", () => {
    const lstm = new dl.nn.LSTMCell(3, 4);
    expect(lstm.namedParameters().map(([n, t]) => [n, t.shape])).toEqual([
      ["weight_ih", [16, 3]],
      ["weight_hh", [16, 4]],
      ["bias_ih", [16]],
      ["bias_hh", [16]],
    ]);
    fillLikeRecording(lstm);
    const [h, c] = lstm.forward(sinTensor([2, 3], 20), [
      sinTensor([2, 4], 21),
      sinTensor([2, 4], 22),
    ]);
    expectClose(h.dataSync(), RECORDED_CELLS.lstm_cell.h, 1e-5);
    expectClose(c.dataSync(), RECORDED_CELLS.lstm_cell.c, 1e-5);
    const gru = new dl.nn.GRUCell(3, 4);
    fillLikeRecording(gru);
    const hg = gru.forward(sinTensor([2, 3], 20), sinTensor([2, 4], 21));
    expectClose(hg.dataSync(), RECORDED_CELLS.gru_cell.h, 1e-5);
    const rnn = new dl.nn.RNNCell(3, 4, { nonlinearity: "relu" });
    fillLikeRecording(rnn);
    expectClose(rnn.forward(sinTensor([3], 20)).dataSync(), RECORDED_CELLS.rnn_cell.h, 1e-5);
    expect(String(rnn)).toBe("RNNCell(3, 4, nonlinearity=relu)");
    expect(Object.keys(new dl.nn.GRUCell(2, 3, { bias: false }).stateDict())).toEqual([
      "weight_ih",
      "weight_hh",
    ]);
  });

  it("start from zeros when no state is given", () => {
    dl.manualSeed(12);
    const cell = new dl.nn.LSTMCell(3, 2);
    const x = dl.randn([4, 3]);
    const [h] = cell.forward(x);
    const [hz] = cell.forward(x, [dl.zeros([4, 2]), dl.zeros([4, 2])]);
    expectClose(h.dataSync(), hz.dataSync(), 1e-7);
    expect(() => cell.forward(dl.randn([2, 2, 3]))).toThrow(/LSTMCell.*\[2, 2, 3\]/);
  });
});
