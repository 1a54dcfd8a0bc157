// JupyterLite's style sheets (the lab's own come from ../../app/style.ts).
import "@jupyterlite/application-extension/style/index.js";
import "@jupyterlite/apputils-extension/style/index.js";
