// Gradient routing shared by maximum and minimum: the winner takes the gradient, and equal
// operands share it half and half (PyTorch's convention, which keeps gradcheck symmetric).
import type { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "./dispatch.js";
import { eq } from "./eq.js";
import { mul } from "./mul.js";
import { where } from "./where.js";

export function tieSplit(
  g: Tensor,
  a: Tensor,
  b: Tensor,
  needs: readonly boolean[],
  wins: (x: TensorLike, y: TensorLike) => Tensor,
): (Tensor | null)[] {
  const half = mul(g, 0.5);
  const tie = eq(a, b);
  return [
    needs[0] ? where(tie, half, where(wins(a, b), g, 0)) : null,
    needs[1] ? where(tie, half, where(wins(b, a), g, 0)) : null,
  ];
}
