// Method forms: a.add(b) for every function-form op. Declared by module augmentation so the
// Tensor class file stays free of maths and of import cycles.
import { Tensor } from "../tensor/tensor.js";
import * as F from "../functional/index.js";

import "./method-types.js";

type Method = (this: Tensor, ...args: any[]) => unknown;

const methods: Record<string, Method> = {
  add(o) {
    return F.add(this, o);
  },
  sub(o) {
    return F.sub(this, o);
  },
  mul(o) {
    return F.mul(this, o);
  },
  div(o) {
    return F.div(this, o);
  },
  pow(o) {
    return F.pow(this, o);
  },
  maximum(o) {
    return F.maximum(this, o);
  },
  minimum(o) {
    return F.minimum(this, o);
  },
  eq(o) {
    return F.eq(this, o);
  },
  ne(o) {
    return F.ne(this, o);
  },
  lt(o) {
    return F.lt(this, o);
  },
  le(o) {
    return F.le(this, o);
  },
  gt(o) {
    return F.gt(this, o);
  },
  ge(o) {
    return F.ge(this, o);
  },
  logicalAnd(o) {
    return F.logicalAnd(this, o);
  },
  logicalOr(o) {
    return F.logicalOr(this, o);
  },
  logicalNot() {
    return F.logicalNot(this);
  },
  neg() {
    return F.neg(this);
  },
  abs() {
    return F.abs(this);
  },
  exp() {
    return F.exp(this);
  },
  log() {
    return F.log(this);
  },
  sqrt() {
    return F.sqrt(this);
  },
  rsqrt() {
    return F.rsqrt(this);
  },
  square() {
    return F.square(this);
  },
  reciprocal() {
    return F.reciprocal(this);
  },
  sin() {
    return F.sin(this);
  },
  cos() {
    return F.cos(this);
  },
  tanh() {
    return F.tanh(this);
  },
  sigmoid() {
    return F.sigmoid(this);
  },
  relu() {
    return F.relu(this);
  },
  leakyRelu(s) {
    return F.leakyRelu(this, s);
  },
  elu(a) {
    return F.elu(this, a);
  },
  gelu(a) {
    return F.gelu(this, a);
  },
  silu() {
    return F.silu(this);
  },
  softplus(b) {
    return F.softplus(this, b);
  },
  sign() {
    return F.sign(this);
  },
  erf() {
    return F.erf(this);
  },
  clamp(lo, hi) {
    return F.clamp(this, lo, hi);
  },
  where(c, o) {
    return F.where(c, this, o);
  },
  sum(d, k) {
    return F.sum(this, d, k);
  },
  mean(d, k) {
    return F.mean(this, d, k);
  },
  max(d, k) {
    return F.max(this, d, k);
  },
  min(d, k) {
    return F.min(this, d, k);
  },
  prod(d, k) {
    return F.prod(this, d, k);
  },
  var(d, k, o) {
    return F.variance(this, d, k, o);
  },
  std(d, k, o) {
    return F.std(this, d, k, o);
  },
  logsumexp(d, k) {
    return F.logsumexp(this, d, k);
  },
  argmax(d, k) {
    return F.argmax(this, d, k);
  },
  argmin(d, k) {
    return F.argmin(this, d, k);
  },
  softmax(d) {
    return F.softmax(this, d);
  },
  logSoftmax(d) {
    return F.logSoftmax(this, d);
  },
  matmul(o) {
    return F.matmul(this, o);
  },
  outer(o) {
    return F.outer(this, o);
  },
  transpose(a, b) {
    return F.transpose(this, a, b);
  },
  permute(d) {
    return F.permute(this, d);
  },
  reshape(s) {
    return F.reshape(this, s);
  },
  view(s) {
    return F.view(this, s);
  },
  flatten(s, e) {
    return F.flatten(this, s, e);
  },
  unflatten(d, s) {
    return F.unflatten(this, d, s);
  },
  squeeze(d) {
    return F.squeeze(this, d);
  },
  unsqueeze(d) {
    return F.unsqueeze(this, d);
  },
  expand(s) {
    return F.expand(this, s);
  },
  expandAs(o) {
    return F.expand(this, o.shape);
  },
  repeat(r) {
    return F.repeat(this, r);
  },
  split(s, d) {
    return F.split(this, s, d);
  },
  chunk(c, d) {
    return F.chunk(this, c, d);
  },
  narrow(d, s, l) {
    return F.narrow(this, d, s, l);
  },
  select(d, i) {
    return F.select(this, d, i);
  },
  slice(spec) {
    return F.sliceSpec(this, spec);
  },
  indexSelect(d, i) {
    return F.indexSelect(this, d, i);
  },
  gather(d, i) {
    return F.gather(this, d, i);
  },
  scatterAdd(d, i, s) {
    return F.scatterAdd(this, d, i, s);
  },
  flip(d) {
    return F.flip(this, d);
  },
  tril(k) {
    return F.tril(this, k);
  },
  triu(k) {
    return F.triu(this, k);
  },
  cast(d) {
    return F.cast(this, d);
  },
  float() {
    return F.cast(this, "float32");
  },
  int() {
    return F.cast(this, "int32");
  },
  bool() {
    return F.cast(this, "bool");
  },
};

for (const [name, fn] of Object.entries(methods))
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true });

Object.defineProperty(Tensor.prototype, "T", {
  get(this: Tensor) {
    return F.t(this);
  },
  configurable: true,
});
