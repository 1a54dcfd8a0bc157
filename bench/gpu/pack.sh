#!/usr/bin/env bash
# Run here, before bench/gpu/device-run.sh runs on a lent GPU machine (no Node, no Vulkan
# loader, no registry there). Fills .gpu-carry/ (git-ignored through .git/info/exclude):
#   node.xz          this machine's Node binary (statically linked apart from glibc/libstdc++)
#   modules.tar.xz   the node_modules the bench and the WebGPU tests need: vitest and its
#                    run-time closure, webgpu with only linux-x64
#   *.deb            the Vulkan loader and the GL dispatch libraries (glvnd) that NVIDIA's
#                    Vulkan driver library (libGLX_nvidia) needs, unpacked there with dpkg -x
# It also builds dist/. Then carry `.gpu-carry` and `dist` (git-ignored, so named in carry)
# with the device tool and run `bash bench/gpu/device-run.sh`.
set -euo pipefail
cd "$(dirname "$0")/../.."
carry=.gpu-carry
mkdir -p "$carry"
grep -qx '/.gpu-carry/' .git/info/exclude 2>/dev/null || echo '/.gpu-carry/' >>.git/info/exclude

echo "[pack] building the library"
npm run build >/dev/null
if [ ! -s "$carry/node.xz" ]; then
  echo "[pack] compressing $(command -v node) ($(node -v))"
  xz -T0 -6 -c "$(command -v node)" >"$carry/node.xz"
fi
debs=(libvulkan1 libglvnd0 libegl1 libgl1 libglx0 libgles2 libopengl0)
if [ "$(ls "$carry"/*.deb 2>/dev/null | wc -l)" -lt ${#debs[@]} ]; then
  echo "[pack] downloading the Vulkan loader and glvnd: ${debs[*]}"
  (cd "$carry" && apt-get download "${debs[@]}")
fi
echo "[pack] packing the node_modules closure of vitest and webgpu"
mapfile -t modules < <(node bench/gpu/closure.mjs vitest webgpu)
excludes=()
for d in node_modules/webgpu/dist/*; do
  [ "$(basename "$d")" = linux-x64 ] || excludes+=("--exclude=$d")
done
tar -cf - "${excludes[@]}" "${modules[@]}" | xz -T0 -6 >"$carry/modules.tar.xz"
du -sh "$carry"/*
