#!/usr/bin/env bash
# On a bare GPU machine, from the working tree plus the carried .gpu-carry/ (bench/gpu/pack.sh
# makes it): unpack Node, the modules and the Vulkan loader; start Dawn on the NVIDIA Vulkan
# driver (failing loudly on a fallback adapter); run the WebGPU test subset (tests/webgpu;
# tests/ops: every op case on each device against float64 references; the layer and loss case
# lists of tests/nn/modules-on-devices.test.ts against the CPU backend) and the GPU bench against
# PyTorch on the same card. With DENDRITE_SOAK_STEPS=N, also the memory soak on the GPU (async
# and truncated-BPTT loops, N steps each; issue 11 asks for 50,000).
# Writes gpu-bench.json, tutorial-03-timing.json, vitest.json, soak.txt and gpu-run.log into
# $OUT (default ./gpu-out).
# With the device tool: carry [".gpu-carry", "dist"], command `bash bench/gpu/device-run.sh`.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-$PWD/gpu-out}
carry=${CARRY:-.gpu-carry}
mkdir -p "$out"
exec > >(tee -a "$out/gpu-run.log") 2>&1
start=$(date +%s)
stage() { echo "[device-run +$(($(date +%s) - start))s] $*"; }

stage "unpacking Node, modules and the Vulkan loader"
mkdir -p /tmp/dendrite-node/bin
xz -dc "$carry/node.xz" >/tmp/dendrite-node/bin/node && chmod +x /tmp/dendrite-node/bin/node
export PATH=/tmp/dendrite-node/bin:$PATH
tar -xJf "$carry/modules.tar.xz" || { echo "FAIL: could not unpack modules"; exit 1; }
[ -f dist/src/index.js ] || { echo "FAIL: dist/ missing: run bench/gpu/pack.sh and carry dist"; exit 1; }
for f in "$carry"/*.deb; do dpkg -x "$f" /; done
ldconfig
node -v

# The NVIDIA driver's Vulkan ICD; never SwiftShader here.
unset VK_ICD_FILENAMES
for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json \
  /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
  if [ -f "$icd" ]; then export VK_DRIVER_FILES=$icd; break; fi
done
[ -d /usr/local/nvidia/lib64 ] && export LD_LIBRARY_PATH=/usr/local/nvidia/lib64:${LD_LIBRARY_PATH:-}
echo "VK_DRIVER_FILES=${VK_DRIVER_FILES:-unset}"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv || true

stage "GPU bench (tile tuning, GEMM, bandwidth, overhead, training) against PyTorch"
node --expose-gc bench/gpu/run.mjs --out "$out"
bench=$?
[ $bench -eq 2 ] && { echo "FAIL: no real GPU adapter"; exit 2; }

stage "tutorial 03's GPU cell: LeNet, 20 steps, CPU vs WebGPU"
node bench/gpu/tutorial-timing.mjs --out "$out" || true

stage "the same tile tuning with Dawn's robustness (bounds clamping) off"
DENDRITE_DAWN_FLAGS="enable-dawn-features=disable_robustness" \
  node bench/gpu/run.mjs --tune-only --out "$out/no-robustness" || true

stage "WebGPU test subset on the GPU (CPU backend as the oracle)"
node node_modules/vitest/vitest.mjs run tests/webgpu tests/ops tests/nn/modules-on-devices.test.ts \
  tests/memory/gpu-without-turn.test.ts \
  --reporter=default --reporter=json --outputFile.json="$out/vitest.json"
tests=$?
grep -q "webgpu tests\] skipped" "$out/gpu-run.log" && { echo "FAIL: WebGPU tests skipped"; tests=1; }

soak_steps=${DENDRITE_SOAK_STEPS:-0}
if [ "$soak_steps" -gt 0 ]; then
  stage "memory soak on the GPU, $soak_steps steps per loop"
  node --expose-gc bench/memory-soak.mjs --device webgpu --steps "$soak_steps" \
    --styles async,tbptt >"$out/soak.txt" || true
  cat "$out/soak.txt"
fi

stage "done: bench exit $bench, tests exit $tests"
[ $bench -eq 0 ] && [ $tests -eq 0 ]
