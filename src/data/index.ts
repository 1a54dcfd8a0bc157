// dl.data: datasets, the DataLoader, tokenizers and the built-in datasets.
export { Dataset, TensorDataset, Subset } from "./dataset.js";
export { randomSplit } from "./split.js";
export { defaultCollate } from "./collate.js";
export { DataLoader, type DataLoaderOptions, type Collated } from "./dataloader.js";
export { Tokenizer, type SpecialTokens } from "./tokenizer.js";
export {
  CharTokenizer,
  WordTokenizer,
  type WordTokenizerOptions,
  SymbolTokenizer,
  type SymbolTokenizerOptions,
} from "./tokenizers.js";
export {
  CountVectorizer,
  type CountVectorizerOptions,
  TfidfVectorizer,
  type TfidfVectorizerOptions,
} from "./vectorizers.js";
export {
  ImageClassificationDataset,
  TabularDataset,
  TextClassificationDataset,
} from "./datasets/labeled.js";
export { mnist, type MnistOptions } from "./datasets/mnist.js";
export {
  mobyDick,
  stateOfTheUnion,
  type MobyDick,
  type MobyDickChapter,
  type Speech,
} from "./datasets/text.js";
export { spamAssassin, SpamDataset, type SpamOptions } from "./datasets/spam.js";
export {
  bostonHousing,
  usBirths,
  sensorNetwork,
  SensorNetworkDataset,
  type UsBirths,
} from "./datasets/tabular.js";
export { karateClub, type KarateClub } from "./datasets/karate.js";
export { cmudict, CmuDictDataset, type CmuDictOptions } from "./datasets/cmudict.js";
export { setPackageBaseUrl, setPackageSource, type PackageSource } from "../platform/packages.js";
