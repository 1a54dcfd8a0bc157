// Types of jupyter-sandbox.mjs for the TypeScript tests that import it.
export interface JupyterSandbox {
  dir: string;
  workdir: string;
  env: NodeJS.ProcessEnv;
}
export function createJupyterSandbox(prefix?: string): JupyterSandbox;
