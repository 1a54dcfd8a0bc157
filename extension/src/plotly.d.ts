// The few plotly.js calls the plot renderer makes. plotly.js-dist-min ships no types, and the
// full @types/plotly.js would be a dependency for four signatures.
declare module "plotly.js-dist-min" {
  type Json = Record<string, unknown>;
  const Plotly: {
    react(el: HTMLElement, data: Json[], layout?: Json, config?: Json): Promise<HTMLElement>;
    purge(el: HTMLElement): void;
    Plots: { resize(el: HTMLElement): Promise<void> | void };
  };
  export default Plotly;
}
