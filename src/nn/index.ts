// dl.nn: modules, layers, losses, initialisers and utilities.
export { Module, type ForwardHook, type LoadResult } from "./module.js";
export { Parameter, Buffer } from "./parameter.js";
export { Sequential, ModuleList, ModuleDict } from "./containers.js";
export { Linear, type LinearOptions } from "./layers/linear.js";
export * from "./losses/index.js";
export * as functional from "./functional/index.js";
export * as init from "./init.js";
