// dl.viz: displaying tensors, models, plots and training.
export { show, Display } from "./displayable.js";
export { graph, tensor } from "./basic.js";
export type { TensorDisplayOptions } from "../display/tensor-display.js";
export { livePlot, LivePlot, type LivePlotOptions } from "./live-plot.js";
export { live, LiveView, type LiveOptions } from "./live.js";
export { progress, ProgressBar, type ProgressOptions } from "./progress.js";
export {
  confusionMatrix,
  attention,
  embedding,
  type AttentionPlotOptions,
  type EmbeddingPlotOptions,
} from "./plots.js";
export { activations, type LayerActivation, type ActivationOptions } from "./activations.js";
export { plot, type PlotSeries, type PlotOptions } from "./plot.js";
export { heatmap, type HeatmapOptions } from "./heatmap.js";
