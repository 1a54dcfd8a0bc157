// The method forms' signatures, merged into the Tensor class by module augmentation so the
// class file stays free of maths (the implementations are in methods.ts).
import type { DType } from "../tensor/dtype.js";
import type { Dims, TensorLike } from "./dispatch.js";
import type { VarOptions } from "../functional/math.js";

declare module "../tensor/tensor.js" {
  interface Tensor {
    add(other: TensorLike): Tensor;
    sub(other: TensorLike): Tensor;
    mul(other: TensorLike): Tensor;
    div(other: TensorLike): Tensor;
    pow(exponent: TensorLike): Tensor;
    maximum(other: TensorLike): Tensor;
    minimum(other: TensorLike): Tensor;
    eq(other: TensorLike): Tensor;
    ne(other: TensorLike): Tensor;
    lt(other: TensorLike): Tensor;
    le(other: TensorLike): Tensor;
    gt(other: TensorLike): Tensor;
    ge(other: TensorLike): Tensor;
    logicalAnd(other: TensorLike): Tensor;
    logicalOr(other: TensorLike): Tensor;
    logicalNot(): Tensor;
    neg(): Tensor;
    abs(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    sqrt(): Tensor;
    rsqrt(): Tensor;
    square(): Tensor;
    reciprocal(): Tensor;
    sin(): Tensor;
    cos(): Tensor;
    tanh(): Tensor;
    sigmoid(): Tensor;
    relu(): Tensor;
    leakyRelu(negativeSlope?: number): Tensor;
    elu(alpha?: number): Tensor;
    gelu(approximate?: "none" | "tanh"): Tensor;
    silu(): Tensor;
    softplus(beta?: number): Tensor;
    sign(): Tensor;
    erf(): Tensor;
    clamp(min?: TensorLike | null, max?: TensorLike | null): Tensor;
    /** PyTorch's x.where(cond, y): x where cond holds, else y. */
    where(cond: TensorLike, other: TensorLike): Tensor;
    sum(dim?: Dims, keepdim?: boolean): Tensor;
    mean(dim?: Dims, keepdim?: boolean): Tensor;
    max(dim?: Dims, keepdim?: boolean): Tensor;
    min(dim?: Dims, keepdim?: boolean): Tensor;
    prod(dim?: Dims, keepdim?: boolean): Tensor;
    var(dim?: Dims, keepdim?: boolean, opts?: VarOptions): Tensor;
    std(dim?: Dims, keepdim?: boolean, opts?: VarOptions): Tensor;
    logsumexp(dim?: Dims, keepdim?: boolean): Tensor;
    argmax(dim?: number, keepdim?: boolean): Tensor;
    argmin(dim?: number, keepdim?: boolean): Tensor;
    softmax(dim?: number): Tensor;
    logSoftmax(dim?: number): Tensor;
    matmul(other: Tensor): Tensor;
    outer(other: Tensor): Tensor;
    readonly T: Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    permute(dims: readonly number[]): Tensor;
    reshape(shape: readonly number[]): Tensor;
    view(shape: readonly number[]): Tensor;
    flatten(startDim?: number, endDim?: number): Tensor;
    unflatten(dim: number, sizes: readonly number[]): Tensor;
    squeeze(dim?: number | readonly number[]): Tensor;
    unsqueeze(dim: number): Tensor;
    expand(shape: readonly number[]): Tensor;
    expandAs(other: Tensor): Tensor;
    repeat(reps: readonly number[]): Tensor;
    split(sizeOrSections: number | readonly number[], dim?: number): Tensor[];
    chunk(chunks: number, dim?: number): Tensor[];
    narrow(dim: number, start: number, length: number): Tensor;
    select(dim: number, index: number): Tensor;
    /** NumPy-style indexing: t.slice("0:10, :, -1"). */
    slice(spec: string): Tensor;
    indexSelect(dim: number, index: Tensor): Tensor;
    gather(dim: number, index: Tensor): Tensor;
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    flip(dims: number | readonly number[]): Tensor;
    tril(k?: number): Tensor;
    triu(k?: number): Tensor;
    cast(dtype: DType): Tensor;
    float(): Tensor;
    int(): Tensor;
    bool(): Tensor;
  }
}
