// The object that holds every top-level name the cells declare. Compiled cells write their
// declarations into it; TypeScript's CommonJS output sometimes defines names as getters
// (re-exported imports), which the proxy stores as plain values so a later cell can
// declare the same name again.
export function createExports(initial: Record<string, unknown>): Record<string, unknown> {
  const store: Record<string, unknown> = { ...initial };
  return new Proxy(store, {
    defineProperty(target, prop, attrs) {
      if (prop === "__esModule") return true;
      target[prop as string] = attrs.get ? attrs.get() : attrs.value;
      return true;
    },
  });
}
