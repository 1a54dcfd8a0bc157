// dl.distributions: PyTorch's torch.distributions for the two families the tutorials use.
export { Categorical, type CategoricalParams } from "./categorical.js";
export { Normal } from "./normal.js";
